// Copy buttons beside a value shown once: <button type="button" data-copy="field-id" hidden>.
// The button stays hidden without this script; the read-only field can still be selected by hand.
(function () {
  "use strict";
  function copyText(field) {
    field.focus();
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value).then(
        function () { return true; },
        function () { return document.execCommand("copy"); }
      );
    }
    return Promise.resolve(document.execCommand("copy"));
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    var label = button.textContent;
    button.hidden = false;
    button.setAttribute("aria-live", "polite");
    field.addEventListener("focus", function () { field.select(); });
    button.addEventListener("click", function () {
      copyText(field).then(function (copied) {
        if (!copied) { return; }
        button.textContent = button.getAttribute("data-copied") || label;
        window.setTimeout(function () { button.textContent = label; }, 2500);
      });
    });
  });
})();
