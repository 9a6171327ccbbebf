// Import pages: while a file is read or imported (a few seconds for a thousand rows), the
// button says so and cannot be pressed twice.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches || !form.matches("form[data-busy]")) return;
  var button = form.querySelector("button[type=submit]");
  if (!button) return;
  if (form.dataset.sent) { event.preventDefault(); return; }
  form.dataset.sent = "1";
  button.textContent = form.dataset.busy;
  button.setAttribute("aria-busy", "true");
  window.setTimeout(function () { button.disabled = true; }, 0);
});
