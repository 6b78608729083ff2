// "Copy link" buttons: <button data-copy="#input-id">. Served from static/ (the CSP allows no inline script).
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copy);
  // data-copied carries the confirmation in the page's language.
  const done = () => { button.textContent = button.dataset.copied || "Link copied"; };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, () => { field.select(); });
  } else {
    field.select();
    document.execCommand("copy");
    done();
  }
});
