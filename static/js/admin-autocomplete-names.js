// Select2 (the admin's autocomplete box) names its box after the chosen value only, so an empty box has no
// name for a screen reader (axe: aria-input-field-name). This names it, and the value shown in it, after the
// field's label as well (the column's header in a tabular inline); docs/accessibility.md. Django's
// autocomplete.js sets the boxes up in a jQuery ready handler and on formset:added; jQuery and the DOM call
// handlers in the order they were added, and this file is loaded at the end of the body, after its own.
"use strict";
(function () {
  if (!window.django || !window.django.jQuery) return;
  function labelOf(select) {
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label) return label;
    const cell = select.closest("td[class*='field-']");
    const field = cell && Array.from(cell.classList).find((name) => name.startsWith("field-"));
    return field ? cell.closest("table").querySelector("th.column-" + field.slice("field-".length)) : null;
  }
  function nameBoxes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach((select) => {
      const label = labelOf(select);
      const box = select.nextElementSibling && select.nextElementSibling.querySelector('[role="combobox"]');
      if (!label || !box) return;
      label.id = label.id || (select.id || select.name) + "-label";
      const ids = (box.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean);
      if (!ids.includes(label.id)) box.setAttribute("aria-labelledby", [label.id, ...ids].join(" "));
      // The chosen value inside the box is a read-only textbox of its own, which needs the same name.
      box.querySelectorAll('[role="textbox"]').forEach((shown) => shown.setAttribute("aria-labelledby", label.id));
    });
  }
  window.django.jQuery(() => nameBoxes(document));
  document.addEventListener("formset:added", (event) => nameBoxes(event.target));
})();
