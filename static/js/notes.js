// Annotation notes open beside the marked words when JavaScript runs; without it, each number is a link to
// the numbered note under the part. Text only (textContent): nothing stored is ever parsed as HTML.
document.addEventListener("click", (event) => {
  const link = event.target.closest(".note-ref a");
  if (!link) return;
  const note = document.getElementById(link.hash.slice(1));
  if (!note) return;
  event.preventDefault();
  const reference = link.parentElement;
  const open = reference.nextElementSibling;
  if (open && open.classList.contains("note-popover")) {
    open.remove();
    link.setAttribute("aria-expanded", "false");
    return;
  }
  const popover = document.createElement("span");
  popover.className = "note-popover";
  popover.setAttribute("role", "note");
  // The note's language and direction go with its words: an English note opened inside an Arabic paragraph
  // stays left to right (its full stop at its end) and is read out in English.
  for (const name of ["lang", "dir"]) {
    if (note.hasAttribute(name)) popover.setAttribute(name, note.getAttribute(name));
  }
  popover.id = `${note.id}-open`;
  for (const child of note.childNodes) {
    if (!(child.classList && child.classList.contains("note__back"))) popover.append(child.cloneNode(true));
  }
  reference.after(popover);
  link.setAttribute("aria-expanded", "true");
  link.setAttribute("aria-controls", popover.id);
});
