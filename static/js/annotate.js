// "Annotate the selection" under each part's text: opens the annotation form with the selected words, their
// part and their offsets filled in. Offsets are counted in code points, as the server counts them (a
// JavaScript string index counts UTF-16 units). Without JavaScript, the form's quote is typed.
(() => {
  const script = document.currentScript;
  const label = script.dataset.label;
  const box = document.getElementById("annotations");
  if (!box) return;
  const codePoints = (text) => Array.from(text).length;
  document.querySelectorAll("textarea[name^='parts-'][name$='-body']").forEach((area) => {
    const row = area.closest(".inline-related");
    const number = row && row.querySelector(".field-number .readonly");
    if (!number || !/^\d+$/.test(number.textContent.trim())) return; // a part not saved yet has no number
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button annotate-selection"; // the admin's button, beside the text (admin-story.css)
    button.textContent = label;
    button.addEventListener("click", () => {
      const { selectionStart: from, selectionEnd: to, value } = area;
      if (from === to) return;
      const url = new URL(box.dataset.addUrl, window.location.href);
      url.searchParams.set("part_number", number.textContent.trim());
      url.searchParams.set("exact", value.slice(from, to));
      url.searchParams.set("start", codePoints(value.slice(0, from)));
      url.searchParams.set("end", codePoints(value.slice(0, to)));
      window.location.href = url.toString();
    });
    area.after(button);
  });
})();
