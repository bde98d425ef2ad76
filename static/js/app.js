// Behaviour the templates ask for with data attributes, so that no page needs inline script
// (the Content-Security-Policy allows scripts from this site's files only).
(function () {
  "use strict";
  // <form data-confirm="Question?">: ask before submitting.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      var question = form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) event.preventDefault();
    },
    true
  );
  // A form sent back with errors: the summary at its top takes the focus (a screen reader reads
  // it, the keyboard starts from it), and each of its links puts the focus in its field.
  // The person must still see which form this is: the window shows the page's heading with the
  // summary (and the navigation too when all fits), not the summary flush with the top edge.
  var MARGIN = 16;
  function revealErrorSummary(summary) {
    var view = window.innerHeight;
    var bottom = summary.getBoundingClientRect().bottom + window.scrollY;
    if (bottom + MARGIN <= view) {
      window.scrollTo(0, 0);
      return;
    }
    var heading = document.querySelector("main h1");
    if (heading && heading.compareDocumentPosition(summary) & Node.DOCUMENT_POSITION_FOLLOWING) {
      var top = heading.getBoundingClientRect().top + window.scrollY - MARGIN;
      if (bottom + MARGIN - top <= view) {
        window.scrollTo(0, top);
        return;
      }
    }
    summary.scrollIntoView({ block: "start" }); // its scroll-margin-top (app.css) keeps a gap
  }
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) {
      summary.focus({ preventScroll: true });
      revealErrorSummary(summary);
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
  });
  // Once more after the page has loaded: a "#main" left in the address by the skip link would
  // otherwise take the focus back to the top of the content.
  window.addEventListener("load", function () {
    var active = document.activeElement;
    if (!active || active === document.body || active.id === "main") focusErrorSummary(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    focusErrorSummary(event.target);
  });
  // <details data-open-from="768">: open from that window width up, folded on a phone (the plan's
  // targets); any fold opens when the address points at it (#muc-tieu, #can-cu), so that the
  // in-page links and the redirects to a section show its content.
  function openFolds() {
    document.querySelectorAll("details[data-open-from]").forEach(function (fold) {
      var width = parseInt(fold.getAttribute("data-open-from"), 10);
      if (window.matchMedia("(min-width: " + width + "px)").matches) fold.open = true;
    });
    openAddressedFold();
  }
  function openAddressedFold() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") target.open = true;
  }
  openFolds(); // a deferred script: the page is parsed, not yet shown in most cases
  window.addEventListener("hashchange", openAddressedFold);
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("a[data-focus-field]");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("data-focus-field"));
    if (!field) return;
    event.preventDefault();
    field.scrollIntoView({ block: "center" });
    field.focus();
  });
})();
