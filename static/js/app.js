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
})();
