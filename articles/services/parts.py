"""Adding, editing and removing the takes of a story; part numbers are assigned here and nowhere else."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from articles.models import Article, Part

from .articles import bump_version, clean_text
from .errors import ServiceError
from .revisions import recorded


@dataclass(frozen=True)
class NewPart:
    body: str
    continues: bool = False
    label: str = ""


def _locked(article: Article) -> Article:
    # Appends to one story are serialised by a row lock on the story (a no-op on SQLite,
    # whose writers are serialised anyway), so numbers stay 1..n without gaps or duplicates.
    return Article.objects.select_for_update().get(pk=article.pk)


@recorded("parts appended")
def append_parts(
    *, article: Article, parts: Iterable[NewPart], by=None, copy_digest: str = "", filed_at=None
) -> list[Part]:
    """Append takes to a story in order, numbering them after its last part; the version rises once."""
    _locked(article)
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
def edit_part(*, part: Part, body: str, continues: bool, label: str = "", by=None) -> Part:
    """Change a take's text or its continues flag; its number stays."""
    body = clean_text(body).strip("\n")
    if not body.strip():
        raise ServiceError("a part needs some text")
    _locked(part.article)
    part.body, part.continues, part.label = body, continues, label
    part.save(update_fields=["body", "continues", "label"])
    bump_version(part.article, by=by)
    return part


@recorded("part deleted")
def delete_part(*, part: Part, by=None) -> None:
    """Remove a take; the parts after it move up so numbers stay 1..n."""
    article = _locked(part.article)
    number = part.number
    part.delete()
    for later in article.parts.filter(number__gt=number).order_by("number"):
        later.number -= 1
        later.save(update_fields=["number"])
    bump_version(part.article, by=by)
