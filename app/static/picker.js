// Long pickers: a <select> of many spaces, companies or people becomes a box to type in, with
// the matching options listed below it. Codes and names are both searched (and an
// option's data-search, e.g. a credit code or an English name); every word typed must match.
// The select stays in the form, hidden, and is what gets submitted: without this script the page
// works as before. Texts come from the script tag's data attributes (translated by the server).
(function () {
  "use strict";
  var script = document.currentScript;
  var texts = (script && script.dataset) || {};
  var MIN_OPTIONS = 13; // shorter lists are quicker to tap through as they are
  var SHOWN = 50; // options listed at once; typing narrows the rest
  var made = 0;

  function fold(text) {
    return (text || "").normalize("NFKC").toLowerCase().replace(/[\s\-_·.,，、;；:：()（）]+/g, "");
  }

  // A select marked data-picker, or a long one of spaces, companies or people (their options
  // carry data-search, see app/web/pickers.py); never times, stages and other short enumerations.
  function wanted(select) {
    var mark = select.getAttribute("data-picker");
    if (mark === "off" || select.multiple || select.size > 1) return false;
    if (mark !== null) return true;
    return select.options.length >= MIN_OPTIONS && !!select.querySelector("option[data-search]");
  }

  function enhance(select) {
    var options = Array.prototype.map.call(select.options, function (option) {
      var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label : "";
      return {
        index: option.index,
        label: option.text,
        group: group,
        blank: option.value === "",
        haystack: fold(option.text + " " + (option.getAttribute("data-search") || "") + " " + group),
      };
    });
    var id = select.id || "picker-" + (made += 1);
    var input = document.createElement("input");
    var list = document.createElement("ul");
    var wrapper = document.createElement("div");
    wrapper.className = "picker";
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "-options");
    // An empty box reads as the empty choice ("All companies", "Choose a space"), else a hint.
    var blank = options.length && options[0].blank ? options[0].label.replace(/^[\s—–-]+|[\s—–-]+$/g, "") : "";
    input.placeholder = blank || texts.placeholder || "";
    ["aria-describedby", "aria-invalid", "required"].forEach(function (name) {
      if (select.hasAttribute(name)) input.setAttribute(name, select.getAttribute(name));
    });
    // A hidden required select would stop the browser's own form check with nothing to show.
    select.removeAttribute("required");
    list.id = id + "-options";
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    // The label's for= now names the box; the select keeps its name and value for the form.
    select.id = id + "-select";
    select.hidden = true;
    select.tabIndex = -1;
    select.setAttribute("aria-hidden", "true");
    select.parentNode.insertBefore(wrapper, select);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(select);

    var matches = [];
    var active = -1;

    function chosen() {
      return options[select.selectedIndex];
    }
    function showChosen() {
      var option = chosen();
      input.value = option && !option.blank ? option.label : "";
    }
    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function note(text) {
      var item = document.createElement("li");
      item.className = "picker-note";
      item.setAttribute("aria-live", "polite");
      item.textContent = text;
      list.appendChild(item);
    }
    function render(query) {
      var words = query.split(/\s+/).map(fold).filter(Boolean);
      matches = options.filter(function (option) {
        if (option.blank && words.length) return false;
        return words.every(function (word) {
          return option.haystack.indexOf(word) !== -1;
        });
      });
      list.textContent = "";
      active = -1;
      matches.slice(0, SHOWN).forEach(function (option, position) {
        var item = document.createElement("li");
        item.id = list.id + "-" + position;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", option.index === select.selectedIndex ? "true" : "false");
        item.textContent = option.label;
        if (option.group) {
          var group = document.createElement("small");
          group.textContent = option.group;
          item.appendChild(group);
        }
        // Keep the focus in the box, so that the tap picks before the box loses it.
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
        });
        item.addEventListener("click", function () {
          pick(option);
        });
        list.appendChild(item);
      });
      if (!matches.length) note(texts.empty || "—");
      else if (matches.length > SHOWN) note(texts.more || "…");
      open();
    }
    function pick(option) {
      if (select.selectedIndex !== option.index) {
        select.selectedIndex = option.index;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      showChosen();
      close();
    }
    function move(step) {
      var items = list.querySelectorAll("[role=option]");
      if (!items.length) return;
      if (list.hidden) open();
      active = (active + step + items.length) % items.length;
      items.forEach(function (item, position) {
        item.classList.toggle("active", position === active);
      });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    input.addEventListener("focus", function () {
      input.select();
      render("");
    });
    input.addEventListener("input", function () {
      render(input.value);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        move(event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Enter" && !list.hidden) {
        var option = active >= 0 ? matches[active] : matches.length === 1 ? matches[0] : null;
        if (option) {
          event.preventDefault();
          pick(option);
        }
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        showChosen();
        close();
      }
    });
    input.addEventListener("blur", function () {
      var typed = input.value.trim();
      var option = chosen();
      if (!typed && options.length && options[0].blank) {
        pick(options[0]); // emptied the box: no choice (e.g. "All companies")
      } else if (typed && (!option || typed !== option.label) && matches.length === 1) {
        pick(matches[0]); // typed enough to name one and moved on
      } else {
        showChosen();
        close();
      }
    });
    select.addEventListener("change", showChosen);
    showChosen();
  }

  document.querySelectorAll("select").forEach(function (select) {
    if (wanted(select)) enhance(select);
  });
})();
