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
  // type-ahead: the ARIA 1.2 combobox with a list box. Without script the selects and the
  // "next level" button do the same job; the form always sends the same fields.
  var form = document.querySelector("form[data-ta-results]");
  if (!form || !window.fetch) { return; }
  var texts = { results: form.getAttribute("data-ta-results"), none: form.getAttribute("data-ta-none") };
  var LEVELS = ["province", "regency", "district", "village"];

  function plain(text) {
    var low = String(text).toLowerCase();
    return low.normalize ? low.normalize("NFD").replace(/[\u0300-\u036f]/g, "") : low;
  }

  // input: the text field; source(text, done) answers [{value, label}]; pick(option)
  function combobox(input, source, pick) {
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var options = [], active = -1, asked = 0;
    list.id = input.id + "-pilihan";
    list.className = "ta-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    if (input.labels && input.labels[0]) {
      input.labels[0].id = input.labels[0].id || input.id + "-label";
      list.setAttribute("aria-labelledby", input.labels[0].id);
    }
    status.className = "sr";
    status.setAttribute("aria-live", "polite");
    input.parentNode.insertBefore(list, input.nextSibling);
    list.parentNode.insertBefore(status, list.nextSibling);
    input.parentNode.className += " ta";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function choose(i) {
      var option = options[i];
      close();
      pick(option);
    }
    function show(found) {
      options = found.slice(0, 30);
      active = -1;
      while (list.firstChild) { list.removeChild(list.firstChild); }
      options.forEach(function (option, i) {
        var item = document.createElement("li");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = option.label;
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(item);
      });
      status.textContent = (found.length ? texts.results : texts.none).replace("{n}", String(found.length));
      if (!options.length) { close(); return; }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function move(to) {
      if (!options.length) { return; }
      if (active >= 0) { list.children[active].setAttribute("aria-selected", "false"); }
      active = (to + options.length) % options.length;
      var item = list.children[active];
      item.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", item.id);
      if (item.scrollIntoView) { item.scrollIntoView({ block: "nearest" }); }
    }
    function ask(then) {
      var mine = ++asked;
      source(input.value, function (found) { if (mine === asked) { show(found); if (then) { then(); } } });
    }
    input.addEventListener("input", function () { ask(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "Down") {
        event.preventDefault();
        if (list.hidden) { ask(function () { move(0); }); } else { move(active + 1); }
      } else if (event.key === "ArrowUp" || event.key === "Up") {
        event.preventDefault();
        move(active - 1);
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) { event.preventDefault(); choose(active); }
      } else if (event.key === "Escape" || event.key === "Esc") {
        if (!list.hidden) { event.preventDefault(); close(); }
      }
    });
    input.addEventListener("blur", close);
  }

  // the location: a type-ahead per level over that level's options; a choice asks the
  // server for the picker again (the next level's options), as the button does
  function regions(fieldset) {
    var url = fieldset.getAttribute("data-typeahead");
    var button = fieldset.querySelector("[data-refresh]");
    if (button) { button.hidden = true; }
    Array.prototype.forEach.call(fieldset.querySelectorAll("select[data-level]"), function (select) {
      var input = document.createElement("input");
      var label = fieldset.querySelector('label[for="' + select.id + '"]');
      var all = Array.prototype.slice.call(select.options, 1).map(function (o) {
        return { value: o.value, label: o.text };
      });
      input.type = "text";
      input.id = select.id + "-cari";
      ["aria-describedby", "aria-invalid"].forEach(function (name) {
        if (select.hasAttribute(name)) { input.setAttribute(name, select.getAttribute(name)); }
      });
      input.value = select.selectedIndex > 0 ? select.options[select.selectedIndex].text : "";
      label.htmlFor = input.id;
      select.hidden = true;
      select.parentNode.insertBefore(input, select);
      input.addEventListener("blur", function () {
        if (!input.value.trim()) { select.value = ""; }
        input.value = select.selectedIndex > 0 ? select.options[select.selectedIndex].text : "";
      });
      combobox(input, function (text, done) {
        var wanted = plain(text.trim());
        done(all.filter(function (o) { return plain(o.label).indexOf(wanted) >= 0; }));
      }, function (option) {
        select.value = option.value;
        input.value = option.label;
        var query = [], level = LEVELS.indexOf(select.getAttribute("data-level"));
        LEVELS.slice(0, level + 1).forEach(function (name) {
          var chosen = fieldset.querySelector("select[data-level=" + name + "]");
          if (chosen && chosen.value) { query.push(name + "=" + encodeURIComponent(chosen.value)); }
        });
        fetch(url + "?" + query.join("&"), { credentials: "same-origin" }).then(function (answer) {
          if (!answer.ok) { throw new Error(String(answer.status)); }
          return answer.text();
        }).then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var fresh = holder.querySelector("[data-regions]");
          var here = fieldset.contains(document.activeElement) || document.activeElement === document.body;
          fieldset.parentNode.replaceChild(fresh, fieldset);
          regions(fresh);
          var next = document.getElementById((LEVELS[level + 1] || "") + "-cari") ||
            document.getElementById(LEVELS[level] + "-cari");
          if (here) { next.focus(); } // not when the visitor has moved on meanwhile
        }).catch(function () { if (button) { button.hidden = false; } });
      });
    });
  }
  Array.prototype.forEach.call(form.querySelectorAll("[data-typeahead]"), regions);

  // the agency the reporter has in mind: its name or code, from the registry
  var agency = form.querySelector("input[data-agencies]");
  if (agency) {
    var waiting = null;
    combobox(agency, function (text, done) {
      clearTimeout(waiting);
      if (text.trim().length < 2) { done([]); return; }
      waiting = setTimeout(function () {
        fetch(agency.getAttribute("data-agencies") + "?q=" + encodeURIComponent(text.trim()), {
          credentials: "same-origin"
        }).then(function (answer) { return answer.ok ? answer.json() : { items: [] }; })
          .then(function (body) {
            done(body.items.map(function (item) {
              return { value: item.code, label: item.name + " (" + item.code + ")" };
            }));
          }).catch(function () { done([]); });
      }, 150);
    }, function (option) { agency.value = option.value; });
  }
})();
