"""Adding, editing and removing the takes of a story; part numbers are assigned here and nowhere else."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from articles.models import Article, Part

from .articles import bump_version, clean_text, lock_current
from .errors import ServiceError
from .revisions import recorded


@dataclass(frozen=True)
class NewPart:
    body: str
    continues: bool = False
    label: str = ""


@recorded("parts appended")
def append_parts(
    *, article: Article, parts: Iterable[NewPart], by=None, copy_digest: str = "", filed_at=None
) -> list[Part]:
    """Append takes to a story in order, numbering them after its last part; the version rises once."""
    # Appends to one story are serialised by the row lock (a no-op on SQLite, whose writers are
    # serialised anyway), so numbers stay 1..n without gaps or duplicates.
    lock_current(article, expected_version=None)
    last = article.parts.aggregate(last=Max("number"))["last"] or 0
    filed_at = filed_at or timezone.now()
    created = []
    for offset, new in enumerate(parts, start=1):
        body = clean_text(new.body).strip("\n")
        if not body.strip():
            raise ServiceError("a part needs some text")
        created.append(
            Part.objects.create(
                article=article,
                number=last + offset,
                body=body,
                continues=new.continues,
                label=new.label,
                filed_at=filed_at,
                copy_digest=copy_digest,
            )
        )
    if created:
        bump_version(article, by=by)
    return created


def append_part(*, article: Article, body: str, continues: bool = False, label: str = "", by=None) -> Part:
    """Append the next take to a story."""
    return append_parts(article=article, parts=[NewPart(body=body, continues=continues, label=label)], by=by)[0]


@recorded("part edited")
def edit_part(
    *, part: Part, body: str, continues: bool, label: str = "", by=None, expected_version: int | None = None
) -> Part:
    """Change a take's text or its continues flag; its number stays. expected_version is the story's."""
    body = clean_text(body).strip("\n")
    if not body.strip():
        raise ServiceError("a part needs some text")
    lock_current(part.article, expected_version=expected_version)
    part.body, part.continues, part.label = body, continues, label
    part.save(update_fields=["body", "continues", "label"])
    bump_version(part.article, by=by)
    return part


@recorded("part deleted")
def delete_part(*, part: Part, by=None) -> None:
    """Remove a take; the parts after it move up so numbers stay 1..n."""
    article = lock_current(part.article, expected_version=None)
    number = part.number
    part.delete()
    for later in article.parts.filter(number__gt=number).order_by("number"):
        later.number -= 1
        later.save(update_fields=["number"])
    bump_version(part.article, by=by)
