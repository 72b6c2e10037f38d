/* dondoc web: small enhancements over pages that work without JavaScript.
   Agency suggestions, drag-and-drop upload with a progress bar, review keyboard navigation (j / k),
   adding a task from selected text, a date picker beside deadline fields. No inline scripts, no libraries. */
(function () {
  "use strict";
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };

  document.addEventListener("DOMContentLoaded", function () {
    $$(".js-only").forEach(function (el) { el.hidden = false; });
    agencySuggestions();
    upload();
    review();
    deadlinePickers();
    ctrlEnterSubmits();
  });

  function agencySuggestions() {
    var list = $("#agency-names");
    var url = document.body.getAttribute("data-suggest");
    if (!list || !url) return;
    var timer = null;
    $$("input[list=agency-names]").forEach(function (input) {
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          var parts = input.value.split(";");
          var word = parts.pop().trim();
          var prefix = parts.length ? parts.join(";") + "; " : "";
          if (word.length < 2) return;
          fetch(url + "?q=" + encodeURIComponent(word), { credentials: "same-origin" })
            .then(function (r) { return r.ok ? r.json() : { results: [] }; })
            .then(function (data) {
              list.textContent = "";
              data.results.forEach(function (a) {
                var option = document.createElement("option");
                option.value = prefix + a.name;
                var label = a.short_name ? a.name + " (" + a.short_name + ")" : a.name;
                if (a.successors.length) {
                  label += " → " + a.successors.map(function (s) {
                    return s.name + " (" + s.effective_on.split("-").reverse().join("/") + ")";
                  }).join(", ");
                }
                option.label = label;
                list.appendChild(option);
              });
            }).catch(function () {});
        }, 200);
      });
    });
  }

  function upload() {
    var form = $("#upload-form");
    if (!form) return;
    var zone = $("#dropzone"), input = $("input[type=file]", form);
    var bar = $("#upload-bar"), box = $("#upload-progress"), status = $("#upload-status");
    var errors = $("#upload-errors"), button = $("#upload-submit");
    var say = function (key) { var el = $("#upload-messages"); return el ? el.content.querySelector("[data-key=" + key + "]").textContent : key; };
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; }
    });
    form.addEventListener("submit", function (e) {
      if (!window.FormData || !window.XMLHttpRequest) return;
      e.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      box.hidden = false; bar.value = 0; status.textContent = say("sending"); button.disabled = true;
      errors.hidden = true;
      xhr.upload.addEventListener("progress", function (ev) {
        if (ev.lengthComputable) { bar.value = Math.round(100 * ev.loaded / ev.total); }
      });
      xhr.upload.addEventListener("load", function () { bar.removeAttribute("value"); status.textContent = say("reading"); });
      xhr.addEventListener("load", function () {
        var data = {};
        try { data = JSON.parse(xhr.responseText); } catch (err) { data = {}; }
        if (xhr.status < 400 && data.redirect) { window.location.href = data.redirect; return; }
        button.disabled = false; box.hidden = true;
        var messages = [];
        Object.keys(data.errors || {}).forEach(function (k) { messages = messages.concat(data.errors[k]); });
        errors.textContent = "";
        (messages.length ? messages : [say("failed")]).forEach(function (m) {
          var p = document.createElement("p"); p.textContent = m; errors.appendChild(p);
        });
        errors.hidden = false; errors.focus();
      });
      xhr.addEventListener("error", function () {
        button.disabled = false; box.hidden = true; errors.textContent = say("failed"); errors.hidden = false;
      });
      xhr.send(new FormData(form));
    });
  }

  function review() {
    var cards = $$(".drafts .task-card");
    var text = $("#doc-text");
    if (!cards.length || !text) return;
    var current = -1;
    function show(i) {
      current = Math.max(0, Math.min(cards.length - 1, i));
      var card = cards[current];
      card.focus();
      card.scrollIntoView({ block: "nearest" });
      $$("mark.current", text).forEach(function (m) { m.classList.remove("current"); });
      var mark = document.getElementById(card.id.replace("task-", "span-"));
      if (mark) { mark.classList.add("current"); mark.scrollIntoView({ block: "center" }); }
    }
    document.addEventListener("keydown", function (e) {
      var tag = (e.target.tagName || "").toLowerCase();
      if (tag === "input" || tag === "textarea" || tag === "select" || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "j") { e.preventDefault(); show(current + 1); }
      if (e.key === "k") { e.preventDefault(); show(current - 1); }
    });
    cards.forEach(function (card, i) { card.addEventListener("focusin", function () { current = i; }); });

    var add = $("#add-task form");
    if (!add) return;
    function offsetIn(node, offset) {
      var seg = node.nodeType === 1 ? node : node.parentNode;
      while (seg && seg !== text && !seg.hasAttribute("data-start")) { seg = seg.parentNode; }
      if (!seg || seg === text) return null;
      var total = 0, walker = document.createTreeWalker(seg, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        var t = walker.currentNode;
        if (t.parentNode.classList && t.parentNode.classList.contains("tag")) continue;
        if (t === node) return parseInt(seg.getAttribute("data-start"), 10) + total + offset;
        total += t.nodeValue.length;
      }
      return parseInt(seg.getAttribute("data-start"), 10) + (node === seg ? 0 : total);
    }
    text.addEventListener("mouseup", function () {
      var sel = window.getSelection();
      if (!sel || sel.isCollapsed || !text.contains(sel.anchorNode)) return;
      var a = offsetIn(sel.anchorNode, sel.anchorOffset), b = offsetIn(sel.focusNode, sel.focusOffset);
      if (a === null || b === null) return;
      var chosen = sel.toString().replace(/^\d+(?=\S)/, "").trim();
      if (!chosen) return;
      $("[name=add-content]", add).value = chosen;
      $("[name=add-source_start]", add).value = Math.min(a, b);
      $("[name=add-source_end]", add).value = Math.max(a, b);
      var card = $("#add-task");
      card.classList.add("filled");
      card.scrollIntoView({ block: "nearest" });
    });
  }

  function deadlinePickers() {
    $$("input[name$=deadline]").forEach(function (input) {
      var picker = document.createElement("input");
      picker.type = "date";
      picker.setAttribute("aria-label", input.getAttribute("data-picker-label") || "date");
      picker.className = "picker";
      picker.addEventListener("change", function () {
        if (picker.value) { input.value = picker.value.split("-").reverse().join("/"); }
      });
      input.insertAdjacentElement("afterend", picker);
    });
  }

  function ctrlEnterSubmits() {
    document.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && e.target.tagName === "TEXTAREA" && e.target.form) {
        e.preventDefault();
        e.target.form.requestSubmit ? e.target.form.requestSubmit() : e.target.form.submit();
      }
    });
  }
})();
