/* Coursesmith checklist: statuses and notes saved in localStorage as the user types, progress per
   section, CSV and Markdown downloads with the source table's columns, print filled or blank.
   Paper cannot scroll a textarea: each note has a plain-text copy that only print shows, whole. */
(function () {
  "use strict";
  var PREFIX = "coursesmith:checklist:";
  // Interface text: English here; a page in another language carries its catalogue's strings
  // as JSON (#cs-strings, from generator/i18n/script_strings.py), keyed as below.
  var STRINGS = (function () {
    try { return JSON.parse(document.getElementById("cs-strings").textContent) || {}; } catch (e) { return {}; }
  })();
  function t(key, english, values) {
    var text = typeof STRINGS[key] === "string" && STRINGS[key] ? STRINGS[key] : english;
    return text.replace(/\{(\w+)\}/g, function (all, name) { return values && name in values ? values[name] : all; });
  }

  function items(form) { return Array.prototype.slice.call(form.querySelectorAll("[data-cs-item]")); }
  function read(form) {
    var state = {};
    items(form).forEach(function (item) {
      var id = item.getAttribute("data-cs-item"), checked = item.querySelector("input:checked");
      var notes = item.querySelector("textarea").value;
      if (checked || notes) state[id] = { status: checked ? checked.value : "", notes: notes };
    });
    return state;
  }
  function printed(item) {
    var copy = item.querySelector("[data-cs-notes-print]");
    if (!copy) {
      copy = document.createElement("div");
      copy.className = "cs-item__notes-print";
      copy.setAttribute("data-cs-notes-print", "");
      copy.hidden = true; // shown by the print style sheet only (checklist.css)
      item.querySelector("textarea").insertAdjacentElement("afterend", copy);
    }
    return copy;
  }
  function mirror(form) {
    items(form).forEach(function (item) { printed(item).textContent = item.querySelector("textarea").value; });
  }
  function write(form, state) {
    items(form).forEach(function (item) {
      var entry = Object.prototype.hasOwnProperty.call(state, item.getAttribute("data-cs-item"))
        ? state[item.getAttribute("data-cs-item")] : { status: "", notes: "" };
      item.querySelectorAll("input").forEach(function (i) { i.checked = i.value === entry.status; });
      item.querySelector("textarea").value = entry.notes || "";
    });
    mirror(form);
  }
  function progress(form) {
    form.querySelectorAll("[data-cs-section]").forEach(function (section) {
      var all = section.querySelectorAll("[data-cs-item]").length;
      var done = section.querySelectorAll("[data-cs-item] input:checked").length;
      section.querySelector("[data-cs-progress]").textContent = t("checklist.progress", "{done} of {count} answered", { done: done, count: all });
    });
  }
  function rows(form) {
    var state = read(form), out = [];
    form.querySelectorAll("[data-cs-section]").forEach(function (section) {
      out.push({ section: section.getAttribute("data-cs-section") });
      section.querySelectorAll("[data-cs-item]").forEach(function (item) {
        var entry = state[item.getAttribute("data-cs-item")] || {};
        // The status as the page shows it (its label), which may be translated; stored is its value.
        var chosen = entry.status ? item.querySelector('input[value="' + CSS.escape(entry.status) + '"]') : null;
        out.push({ label: item.getAttribute("data-cs-label"), description: item.getAttribute("data-cs-description"),
          status: chosen ? chosen.parentNode.textContent.trim() : entry.status || "", value: entry.status || "", notes: entry.notes || "" });
      });
    });
    return out;
  }
  function head(form) {
    var first = form.querySelector("[data-cs-item]"), statuses = [];
    if (first) first.querySelectorAll("label.cs-item__status").forEach(function (l) { statuses.push(l.textContent.trim()); });
    return [t("checklist.item", "Checklist Item"), t("checklist.description", "Description"),
      t("checklist.status", "Status ({statuses})", { statuses: statuses.join("/") }), t("checklist.notes", "Notes")];
  }
  var YES = "Yes";
  // A cell a spreadsheet would read as a formula (OWASP, CSV injection: =, +, -, @, tab, carriage
  // return, and their full-width forms) starts with an apostrophe, so it stays text; then cells
  // holding a quote, comma or line break are quoted.
  var FORMULA = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
  function cell(v) {
    var text = FORMULA.test(v) ? "'" + v : v;
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function csv(form) {
    var q = cell;
    var lines = [head(form).map(q).join(",")];
    rows(form).forEach(function (r) {
      lines.push((r.section !== undefined ? [r.section, "", "", ""] : [r.label, r.description, r.status, r.notes]).map(q).join(","));
    });
    // The byte-order mark makes Excel read UTF-8 (accents, typographic quotes) instead of ANSI.
    return "\uFEFF" + lines.join("\r\n") + "\r\n";
  }
  function markdown(form) {
    var cell = function (v) { return v.replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>"); };
    var lines = ["# " + form.getAttribute("data-cs-title"), "", head(form).map(function (h) { return "**" + h + "**"; }).join(" | "), "---|---|---|---"];
    rows(form).forEach(function (r) {
      lines.push(r.section !== undefined ? "**" + cell(r.section) + "** | | |"
        // Only Yes ticks the box; No and N/A are answers too, shown in the status column.
        : "[" + (r.value === YES ? "x" : " ") + "] " + cell(r.label) + " | " + cell(r.description) + " | " + cell(r.status) + " | " + cell(r.notes));
    });
    return lines.join("\n") + "\n";
  }
  function download(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type })), a = document.createElement("a");
    a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  // The saved statuses and notes, each checked by type: a damaged entry is left out.
  function stored(key) {
    var saved = null, state = {};
    try { saved = JSON.parse(localStorage.getItem(key)); } catch (e) { saved = null; }
    if (!saved || typeof saved !== "object" || Array.isArray(saved)) return state;
    Object.keys(saved).forEach(function (id) {
      var entry = saved[id];
      if (entry && typeof entry === "object" && typeof entry.status === "string" && typeof entry.notes === "string") {
        state[id] = { status: entry.status, notes: entry.notes };
      }
    });
    return state;
  }
  function setup(form) {
    var slug = form.getAttribute("data-cs-checklist"), key = PREFIX + slug;
    write(form, stored(key));
    progress(form);
    var persist = function () {
      try { localStorage.setItem(key, JSON.stringify(read(form))); } catch (e) { /* storage off */ }
      progress(form);
      mirror(form);
    };
    form.addEventListener("input", persist);
    form.addEventListener("change", persist);
    // The same tools sit above and below the form, so a long checklist needs no scrolling back.
    document.querySelectorAll("[data-cs-checklist-tools]").forEach(function (tools) {
      tools.hidden = false;
      tools.addEventListener("click", act);
    });
    function act(event) {
      var action = event.target.closest("[data-cs-action]");
      if (!action) return;
      var what = action.getAttribute("data-cs-action");
      if (what === "csv") download(slug + "-checklist.csv", "text/csv;charset=utf-8", csv(form));
      if (what === "markdown") download(slug + "-checklist.md", "text/markdown;charset=utf-8", markdown(form));
      if (what === "print") window.print();
      if (what === "print-blank") { var keep = read(form); write(form, {}); window.print(); write(form, keep); }
      if (what === "reset" && window.confirm(t("checklist.reset", "Clear every status and note of this checklist?"))) {
        write(form, {}); persist();
      }
    }
  }
  function run() { document.querySelectorAll("[data-cs-checklist]").forEach(setup); }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(run); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", run); }
  else { run(); }
})();
