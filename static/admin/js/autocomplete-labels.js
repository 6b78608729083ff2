"use strict";
// Select2, the admin's autocomplete, leaves the search box of a multiple choice without a label (screen readers
// announce an unnamed box): name each after its field's label, also in rows added later.
(function () {
  function labelSearchBoxes() {
    document.querySelectorAll("select.admin-autocomplete[multiple]").forEach(function (select) {
      const container = select.nextElementSibling;
      const search = container && container.querySelector(".select2-search__field");
      const label = select.id && document.querySelector('label[for="' + select.id + '"]');
      if (search && label && !search.hasAttribute("aria-label")) {
        search.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
      }
    });
  }
  // Attribute changes are not observed, so labelling does not wake the observer again.
  new MutationObserver(labelSearchBoxes).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", labelSearchBoxes);
})();
