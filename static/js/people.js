// Person form: show only the birth-date inputs that match the chosen precision.
// Without JavaScript every input stays visible and the server ignores the ones that do not apply.
(function () {
  "use strict";
  function update(form) {
    var checked = form.querySelector("input[name='birth_precision']:checked");
    var precision = checked ? checked.value : "";
    form.querySelectorAll(".birth-field").forEach(function (el) {
      el.hidden = el.getAttribute("data-precision") !== precision;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.person-form").forEach(function (form) {
      update(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "birth_precision") update(form);
      });
    });
  });
})();
