/* satupintu portal: small enhancements; every task works without this file. */
(function () {
  "use strict";
  // the error summary takes focus, so a screen reader hears it first
  var summary = document.querySelector("[data-focus]");
  if (summary) { summary.focus(); }
  // characters left under a text area
  Array.prototype.forEach.call(document.querySelectorAll("textarea[data-count]"), function (area) {
    var max = parseInt(area.getAttribute("data-count"), 10);
    var note = document.createElement("p");
    note.className = "counter";
    note.id = area.id + "-count";
    note.setAttribute("aria-live", "polite");
    area.parentNode.insertBefore(note, area.nextSibling);
    function update() {
      note.textContent = area.getAttribute("data-count-text").replace("{n}", String(max - area.value.length));
    }
    area.addEventListener("input", update);
    update();
  });
})();
