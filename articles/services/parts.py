"""Adding, editing and removing the takes of a story; part numbers are assigned here and nowhere else."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, AuditEntry, Part
from newsroom.inserts import insert

from .changes import Change, story_change
from .errors import ServiceError
from .stories import check_text, clean_text

# Parts being renumbered move out of the way first, so "number unique per story" holds at every step.
_ASIDE = 1_000_000


@dataclass(frozen=True)
class NewPart:
    """A take's text as an editor or a wire gives it."""

    body: str
    continues: bool = False
    label: str = ""


@dataclass(frozen=True)
class PartEdits:
    """What an editor did to a story's parts in one save: edited (by number), removed (numbers), added."""

    edited: dict[int, NewPart] = field(default_factory=dict)
    removed: frozenset[int] = frozenset()
    added: tuple[NewPart, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.edited or self.removed or self.added)


def _clean(new: NewPart) -> NewPart:
    body = clean_text(new.body).strip("\n")
    if not body.strip():
        raise ServiceError(_("a part needs some text"))
    check_text(_("part"), body)
    label = (new.label or "").strip()
    check_text(_("take label"), label, limit=Part._meta.get_field("label").max_length)
    return NewPart(body=body, continues=bool(new.continues), label=label)


def cleaned(parts: Iterable[NewPart]) -> list[NewPart]:
    """The parts as add_parts stores them (text cleaned, label trimmed), or ServiceError for one it refuses;
    cleaning a part cleaned already changes nothing."""
    return [_clean(new) for new in parts]


def add_parts(change: Change, parts: Iterable[NewPart], *, copy_digest: str = "", filed_at=None) -> list[Part]:
    """Append takes inside an open change, numbering them after the story's last part."""
    parts = cleaned(parts)
    article = change.article
    known = change.rows("parts")
    if known is None:
        last = article.parts.aggregate(last=Max("number"))["last"] or 0
    else:
        last = max((part.number for part in known), default=0)
    filed_at = filed_at or timezone.now()
    created = insert(
        Part(
            article=article,
            number=last + offset,
            body=new.body,
            continues=new.continues,
            label=new.label,
            filed_at=filed_at,
            copy_digest=copy_digest,
        )
        for offset, new in enumerate(parts, start=1)
    )
    change.parts_added(created)
    return created


def apply_edits(change: Change, edits: PartEdits) -> None:
    """Edit, remove and add parts inside an open change; numbers stay 1..n."""
    article = change.article
    by_number = {part.number: part for part in article.parts.all()}
    missing = sorted((set(edits.edited) | set(edits.removed)) - set(by_number))
    if missing:
        raise ServiceError(_("the story has no part %(numbers)s") % {"numbers": ", ".join(map(str, missing))})
    for number, new in sorted(edits.edited.items()):
        if number in edits.removed:
            continue
        new, part = _clean(new), by_number[number]
        if (part.body, part.continues, part.label) != (new.body, new.continues, new.label):
            part.body, part.continues, part.label = new.body, new.continues, new.label
            part.save(update_fields=["body", "continues", "label"])
            change.parts_changed(number)
    if edits.removed:
        _remove(change, edits.removed)
    if edits.added:
        add_parts(change, edits.added)


def _remove(change: Change, numbers: Iterable[int]) -> None:
    article = change.article
    numbers = set(numbers)
    article.parts.filter(number__in=numbers).delete()
    kept = list(article.parts.order_by("number").values_list("pk", "number"))
    moved = [(pk, old, new) for new, (pk, old) in enumerate(kept, start=1) if new != old]
    if moved:
        article.parts.filter(pk__in=[pk for pk, _old, _new in moved]).update(number=F("number") + _ASIDE)
        for pk, _old, new in moved:
            Part.objects.filter(pk=pk).update(number=new)
    # Every number whose text is now different: the removed ones, and those the later parts moved from and to.
    change.parts_changed(*numbers, *(old for _pk, old, _new in moved), *(new for _pk, _old, new in moved))


def append_parts(
    *,
    article: Article | int,
    parts: Sequence[NewPart],
    by=None,
    via: str = AuditEntry.Via.SYSTEM,
    expected_version: int | None = None,
) -> list[Part]:
    """Append takes to a story as one change. Appends are serialised by the story's row lock (SQLite
    serialises its writers anyway), so numbers stay 1..n without gaps or duplicates."""
    with story_change(article, by=by, via=via, expected_version=expected_version, comment="parts appended") as change:
        change.require_edit()
        return add_parts(change, parts)


def append_part(
    *, article: Article | int, body: str, continues: bool = False, label: str = "", by=None, **kwargs
) -> Part:
    """Append the next take to a story."""
    return append_parts(article=article, parts=[NewPart(body=body, continues=continues, label=label)], by=by, **kwargs)[
        0
    ]


def edit_part(
    *,
    article: Article | int,
    number: int,
    body: str,
    continues: bool,
    label: str = "",
    by=None,
    via: str = AuditEntry.Via.SYSTEM,
    expected_version: int | None = None,
) -> Part:
    """Change a take's text, label or continues flag; its number stays. expected_version is the story's."""
    new = NewPart(body=body, continues=continues, label=label)
    with story_change(article, by=by, via=via, expected_version=expected_version, comment="part edited") as change:
        change.require_edit()
        apply_edits(change, PartEdits(edited={number: new}))
        return change.article.parts.get(number=number)


def delete_part(
    *,
    article: Article | int,
    number: int,
    by=None,
    via: str = AuditEntry.Via.SYSTEM,
    expected_version: int | None = None,
) -> None:
    """Remove a take; the parts after it move up so numbers stay 1..n."""
    with story_change(article, by=by, via=via, expected_version=expected_version, comment="part deleted") as change:
        change.require_edit()
        apply_edits(change, PartEdits(removed=frozenset({number})))
