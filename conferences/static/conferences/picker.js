// Checkbox pickers (conferences/_picker.html): filter the names without diacritics, count what
// is chosen, choose all shown or none. Without script the plain checkboxes still work.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }
  function setup(box) {
    var filter = box.querySelector("[data-picker-filter]");
    var count = box.querySelector("[data-picker-count]");
    var items = Array.prototype.slice.call(box.querySelectorAll("[data-picker-item]"));
    items.forEach(function (item) { item.setAttribute("data-text", fold(item.textContent)); });
    function boxes(shownOnly) {
      return items.filter(function (item) { return !shownOnly || !item.hidden; })
        .map(function (item) { return item.querySelector("input[type=checkbox]"); });
    }
    function update() {
      var n = boxes(false).filter(function (input) { return input.checked; }).length;
      count.textContent = count.getAttribute("data-template").replace("%s", n);
    }
    if (filter) {
      filter.addEventListener("input", function () {
        var terms = fold(filter.value).split(/\s+/).filter(Boolean);
        items.forEach(function (item) {
          var text = item.getAttribute("data-text");
          item.hidden = !terms.every(function (term) { return text.indexOf(term) >= 0; });
        });
      });
    }
    box.querySelector("[data-picker-all]").addEventListener("click", function () {
      boxes(true).forEach(function (input) { input.checked = true; });
      update();
    });
    box.querySelector("[data-picker-none]").addEventListener("click", function () {
      boxes(false).forEach(function (input) { input.checked = false; });
      update();
    });
    box.addEventListener("change", update);
    update();
  }
  document.querySelectorAll("[data-picker]").forEach(setup);
})();
