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


def compare(before: dict, after: dict) -> list[Change]:
    """What differs between two snapshots ({"article": fields, "parts": [fields…]}), story fields then parts."""
    changes = []
    for key, label in FIELDS:
        old, new = str(before["article"].get(key) or ""), str(after["article"].get(key) or "")
        if old != new:
            changes.append(Change(label, inline(old, new), old, new, field=key))
    old_parts = {part["number"]: part for part in before["parts"]}
    new_parts = {part["number"]: part for part in after["parts"]}
    for number in sorted(old_parts.keys() | new_parts.keys()):
        old = old_parts.get(number, {}).get("body", "")
        new = new_parts.get(number, {}).get("body", "")
        old_flag = old_parts.get(number, {}).get("continues")
        new_flag = new_parts.get(number, {}).get("continues")
        if old != new or old_flag != new_flag:
            changes.append(Change(f"part {number}", inline(old, new), old, new, part=number))
    return changes
