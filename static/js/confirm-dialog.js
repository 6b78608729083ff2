// Links with data-dialog="<id>" open that <dialog> (a modal question) in place of the confirmation page they
// lead to without JavaScript. Served from static/ (the CSP allows no inline script).
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-dialog]");
  if (!link) return;
  const dialog = document.getElementById(link.dataset.dialog);
  if (!dialog || typeof dialog.showModal !== "function") return;
  event.preventDefault();
  dialog.showModal();
});
