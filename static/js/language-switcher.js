// The header's language switcher changes the language as soon as one is chosen. Its submit button is for
// browsers without JavaScript, so it is hidden here. Served from static/ (the CSP allows no inline script).
for (const form of document.querySelectorAll("form.language")) {
  form.querySelector("button[type=submit]").hidden = true;
  form.querySelector("select").addEventListener("change", () => form.requestSubmit());
}
