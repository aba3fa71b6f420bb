// transcite serve: what JavaScript adds to a page that works without it -
// copy buttons (plain text, and rich text that keeps italics in Word) and dropping a file.
"use strict";

(function () {
  function message(id) {
    var node = document.getElementById(id);
    return node ? node.textContent.trim() : "";
  }

  function entries(col) {
    return Array.prototype.slice.call(
      document.querySelectorAll('table.lists td[data-col="' + col + '"] .ref'));
  }

  function plain(col) {
    return entries(col).map(function (e) { return e.textContent.trim(); }).join("\n");
  }

  function rich(col) {
    var paras = entries(col).map(function (e) { return "<p>" + e.innerHTML + "</p>"; });
    return '<html><head><meta charset="utf-8"></head><body>' + paras.join("") + "</body></html>";
  }

  // Old-style copy of an HTML fragment through a selection, where the Clipboard API is missing.
  function copyBySelection(html, text) {
    var box = document.createElement("div");
    box.setAttribute("contenteditable", "true");
    box.style.position = "fixed";
    box.style.left = "-10000px";
    if (html) { box.innerHTML = html; } else { box.textContent = text; box.style.whiteSpace = "pre"; }
    document.body.appendChild(box);
    var range = document.createRange();
    range.selectNodeContents(box);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    sel.removeAllRanges();
    box.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(kind, col) {
    var text = plain(col);
    if (kind === "rich") {
      var html = rich(col);
      if (navigator.clipboard && window.ClipboardItem) {
        var item = new ClipboardItem({
          "text/html": new Blob([html], { type: "text/html" }),
          "text/plain": new Blob([text], { type: "text/plain" })
        });
        return navigator.clipboard.write([item]).catch(function () {
          return copyBySelection(html, text);
        });
      }
      return copyBySelection(html, text);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).catch(function () {
        return copyBySelection(null, text);
      });
    }
    return copyBySelection(null, text);
  }

  function setUpCopy() {
    var buttons = document.querySelectorAll("button[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      var label = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(button.getAttribute("data-copy"), button.getAttribute("data-col")).then(function () {
          button.textContent = message("msg-copied");
          button.classList.add("done");
          button.setAttribute("data-copied", "yes");
        }, function () {
          button.textContent = message("msg-copy-failed");
        }).then(function () {
          window.setTimeout(function () {
            button.textContent = label;
            button.classList.remove("done");
          }, 2500);
        });
      });
    });
  }

  function setUpDrop() {
    var area = document.getElementById("text");
    var input = document.getElementById("file");
    if (!area || !input) { return; }
    ["dragenter", "dragover"].forEach(function (name) {
      area.addEventListener(name, function (e) {
        if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types, "Files") >= 0) {
          e.preventDefault();
          area.classList.add("dragover");
        }
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      area.addEventListener(name, function () { area.classList.remove("dragover"); });
    });
    area.addEventListener("drop", function (e) {
      if (!e.dataTransfer || !e.dataTransfer.files.length) { return; }
      e.preventDefault();
      input.files = e.dataTransfer.files;   // sent as the form's file, as if chosen
      input.dispatchEvent(new Event("change"));
    });
  }

  function setUpKeys() {
    var area = document.getElementById("text");
    if (!area) { return; }
    area.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        area.form.requestSubmit();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCopy();
    setUpDrop();
    setUpKeys();
  });
})();
