// Interceptions: keep a draft of the record form in this browser while it is typed, so that a dropped
// connection or a closed tab loses nothing, and choose an existing person record found under a name.
//
// The draft is saved to localStorage on every change, restored when the form is opened again (with a
// notice and a "discard draft" button), and removed only when the server has confirmed the save: the page
// of the new record carries data-draft-done with the id of the draft that was sent. A POST that fails on
// the network never reaches that page, so the draft stays.
// Without JavaScript the form works as a plain form; only the draft and the one-tap choice are missing.
(function () {
  "use strict";
  var VERSION = 1;
  var SKIP = { csrfmiddlewaretoken: true };

  function read(key) {
    try {
      var data = JSON.parse(window.localStorage.getItem(key) || "null");
      return data && data.v === VERSION && Array.isArray(data.fields) ? data : null;
    } catch (error) {
      return null;
    }
  }

  function write(key, data) {
    try {
      window.localStorage.setItem(key, JSON.stringify(data));
    } catch (error) {
      // Storage full or disabled: the form still works, without a draft.
    }
  }

  function forget(key) {
    try {
      window.localStorage.removeItem(key);
    } catch (error) {
      // nothing to do
    }
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function saveable(el) {
    if (!el.name || SKIP[el.name] || el.disabled) return false;
    return ["submit", "button", "reset", "file"].indexOf(el.type) === -1;
  }

  function fields(form) {
    var pairs = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!saveable(el)) return;
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) pairs.push([el.name, el.value]);
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (option) { pairs.push([el.name, option.value]); });
      } else {
        pairs.push([el.name, el.value]);
      }
    });
    return pairs;
  }

  function restore(form, pairs) {
    var values = {};
    pairs.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!saveable(el)) return;
      var saved = values[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = !!saved && saved.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (option) {
          option.selected = !!saved && saved.indexOf(option.value) !== -1;
        });
      } else if (saved) {
        el.value = saved[0];
      }
    });
  }

  function draftForm(form) {
    var key = form.getAttribute("data-draft-key");
    var idInput = form.querySelector("input[name=draft]");
    var notice = document.querySelector("[data-draft-notice]");
    var saved = read(key);
    // A form sent back by the server with its errors shows what was posted: newer than any draft.
    if (saved && form.getAttribute("data-draft-bound") !== "1") {
      restore(form, saved.fields);
      if (notice) {
        var when = notice.querySelector("[data-draft-time]");
        if (when && saved.at) when.textContent = "(" + new Date(saved.at).toLocaleString() + ")";
        notice.hidden = false;
      }
    }
    if (idInput && !idInput.value) idInput.value = newId();
    function save() {
      write(key, { v: VERSION, id: idInput ? idInput.value : "", at: Date.now(), fields: fields(form) });
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", save);
    if (notice) {
      var discard = notice.querySelector("[data-draft-discard]");
      if (discard) {
        discard.addEventListener("click", function () {
          forget(key);
          form.reset();
          if (idInput) idInput.value = newId();
          form.querySelectorAll(".repeats").forEach(function (box) { box.textContent = ""; });
          notice.hidden = true;
        });
      }
    }
  }

  // The record is saved: drop its draft (only that one), and the flag from the address.
  function draftDone(marker) {
    var key = marker.getAttribute("data-draft-key");
    var saved = read(key);
    if (saved && saved.id === marker.getAttribute("data-draft-done")) forget(key);
    if (window.history && window.history.replaceState && window.location.search.indexOf("draft=") !== -1) {
      window.history.replaceState(null, "", window.location.pathname + window.location.hash);
    }
  }

  // "Use this record": the person found under the typed name becomes the row's existing record.
  function useRecord(event) {
    var button = event.target.closest ? event.target.closest("[data-use-person]") : null;
    if (!button) return;
    var row = button.getAttribute("data-row");
    var input = document.getElementById("id_" + row + "-existing");
    if (!input) return;
    input.value = button.getAttribute("data-use-person");
    input.dispatchEvent(new Event("input", { bubbles: true }));
    var box = document.getElementById("repeats-" + row);
    if (box) {
      box.querySelectorAll("[data-use-person]").forEach(function (other) {
        other.setAttribute("aria-pressed", other === button ? "true" : "false");
      });
    }
    input.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-draft-key]").forEach(draftForm);
    document.querySelectorAll("[data-draft-done]").forEach(draftDone);
    document.addEventListener("click", useRecord);
  });
})();
