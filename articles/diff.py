"""Readable differences between two versions of a story: word by word, HTML-escaped, per part. Pure."""

import difflib
import re
from dataclasses import dataclass
from html import escape

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Change:
    """One field or part that differs: its label, and the two texts marked up with <del> and <ins>.

    `label` is English (this module is pure); `field` (a story field's name) or `part` (a part's number)
    says the same for an interface that labels it in its own language."""

    label: str
    html: str
    before: str
    after: str
    field: str = ""
    part: int | None = None


def words(text: str) -> list[str]:
    return _TOKENS.findall(text or "")


def inline(before: str, after: str) -> str:
    """Words removed in <del>, added in <ins>; the rest as it was (escaped)."""
    a, b = words(before), words(after)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return "".join(out)


FIELDS = [
    ("headline", "headline"),
    ("summary", "summary"),
    ("byline", "byline"),
    ("dateline", "dateline"),
    ("status", "status"),
    ("retraction_notice", "retraction notice"),
]


# Named by the snapshot's caller (selectors.snapshot): the section's name and each credit as "source (role)",
# compared as text, since a revision holds only their ids.
NAMED = [("section_name", "section", "section"), ("credit_names", "credited sources", "credits")]


def compare(before: dict, after: dict) -> list[Change]:
    """What differs between two snapshots ({"article": fields, "parts": [fields…]}, and when the caller named
    them "section_name" and "credit_names"): story fields, the section and the credits, then each part's text,
    its take label and whether it continues (a part's label or flag alone is a change of its own)."""
    changes = []
    for key, label in FIELDS:
        old, new = str(before["article"].get(key) or ""), str(after["article"].get(key) or "")
        if old != new:
            changes.append(Change(label, inline(old, new), old, new, field=key))
    for key, label, field in NAMED:
        old, new = _named(before.get(key)), _named(after.get(key))
        if old != new:
            changes.append(Change(label, inline(old, new), old, new, field=field))
    old_parts = {part["number"]: part for part in before["parts"]}
    new_parts = {part["number"]: part for part in after["parts"]}
    for number in sorted(old_parts.keys() | new_parts.keys()):
        was, now = old_parts.get(number, {}), new_parts.get(number, {})
        old, new = was.get("body", ""), now.get("body", "")
        if old != new:
            changes.append(Change(f"part {number}", inline(old, new), old, new, part=number))
        old, new = was.get("label") or "", now.get("label") or ""
        if old != new:
            changes.append(Change(f"part {number} take label", inline(old, new), old, new, field="label", part=number))
        if bool(was.get("continues")) != bool(now.get("continues")) and was and now:
            old, new = str(bool(was.get("continues"))), str(bool(now.get("continues")))
            changes.append(Change(f"part {number} continues", "", old, new, field="continues", part=number))
    return changes


def _named(value) -> str:
    if isinstance(value, list | tuple):
        return " / ".join(str(item) for item in value)
    return str(value or "")
