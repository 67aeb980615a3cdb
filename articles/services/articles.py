"""Creating and editing stories: headline, metadata, credits, publication."""

from collections.abc import Iterable

from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, ArticleSource, Section, Source
from articles.text import match_key

from .errors import ServiceError, check_version
from .revisions import include, recorded
from .sources import unique_slug


def slug_for(headline: str) -> str:
    """The URL slug of a headline: Unicode letters kept (Arabic stays Arabic), at most 80 characters."""
    return slugify(headline, allow_unicode=True)[:80].strip("-") or "story"


def clean_text(value: str) -> str:
    """Line endings from browsers and Windows wires become \\n; nothing else in the text changes."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def bump_version(article: Article, *, by=None) -> None:
    """Raise the story's version by one, in the database, and reflect it on the instance."""
    now = timezone.now()
    Article.objects.filter(pk=article.pk).update(
        version=F("version") + 1, updated_at=now, updated_by=by if by is not None else article.updated_by
    )
    article.refresh_from_db(fields=["version", "updated_at", "updated_by"])
    include(article)


def section_named(name: str) -> Section | None:
    """The section called name, created when the newsroom has none by that name yet."""
    name = " ".join(name.split())
    if not name:
        return None
    section = Section.objects.filter(name=name).first()
    if section is None:
        section = Section.objects.create(name=name, slug=unique_slug(Section, name, fallback="section"))
    return section


@recorded("created")
def create_article(
    *,
    headline: str,
    language: str = "ar",
    by=None,
    section: Section | None = None,
    summary: str = "",
    byline: str = "",
    dateline: str = "",
    dateline_date=None,
    dateline_place: str = "",
    status: str = Article.Status.DRAFT,
    published_at=None,
) -> Article:
    """Create a story without parts; publishing it now when status is published and no date is given."""
    headline = clean_text(headline).strip()
    if status == Article.Status.PUBLISHED and published_at is None:
        published_at = timezone.now()
    return Article.objects.create(
        headline=headline,
        headline_key=match_key(headline),
        slug=slug_for(headline),
        language=language,
        section=section,
        summary=clean_text(summary),
        byline=byline,
        dateline=dateline,
        dateline_date=dateline_date,
        dateline_place=dateline_place,
        status=status,
        published_at=published_at,
        created_by=by,
        updated_by=by,
    )


@recorded("edited")
def save_article(*, article: Article, by=None) -> Article:
    """Store an edited (or new) story from a form: derived fields follow the headline, the version rises."""
    article.headline = clean_text(article.headline).strip()
    article.headline_key = match_key(article.headline)
    article.summary = clean_text(article.summary)
    if not article.slug:
        article.slug = slug_for(article.headline)
    article.updated_by = by
    if article.pk is None:
        article.created_by = by
        article.save()
    else:
        article.save()
        bump_version(article, by=by)
    return article


@recorded("sources credited")
def credit_sources(*, article: Article, credits: Iterable[tuple[Source, str]], by=None) -> list[ArticleSource]:
    """Credit sources on a story after those it already has; a source credited already is skipped."""
    credited = set(article.credits.values_list("source_id", flat=True))
    position = article.credits.aggregate(last=Max("position"))["last"] or 0
    added = []
    for source, role in credits:
        if source.pk in credited:
            continue
        position += 1
        credited.add(source.pk)
        added.append(ArticleSource.objects.create(article=article, source=source, role=role, position=position))
    if added and not article._state.adding:
        bump_version(article, by=by)
    return added


EDITABLE_FIELDS = frozenset(
    {
        "headline",
        "slug",
        "language",
        "section",
        "summary",
        "byline",
        "dateline",
        "dateline_date",
        "dateline_place",
        "translation_of",
    }
)


def lock_current(article: Article, *, expected_version: int | None) -> Article:
    """The story's row, locked for this transaction, refusing a write based on an older version."""
    current = Article.objects.select_for_update().get(pk=article.pk)
    check_version(current, expected_version, "story")
    return current


@recorded("edited")
def update_article(
    *,
    article: Article,
    changes: dict,
    credits: list[tuple[Source, str]] | None = None,
    by=None,
    expected_version: int | None = None,
) -> Article:
    """Change a story's fields (and, when given, replace its credited sources) as one new version."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ServiceError(f"these fields cannot be changed: {', '.join(sorted(unknown))}")
    current = lock_current(article, expected_version=expected_version)
    old_auto_slug = current.slug == slug_for(current.headline)
    for name, value in changes.items():
        setattr(current, name, clean_text(value) if name in {"headline", "summary"} else value)
    current.headline = current.headline.strip()
    current.headline_key = match_key(current.headline)
    if "slug" not in changes and old_auto_slug:
        current.slug = slug_for(current.headline)  # a slug nobody chose follows the headline
    current.updated_by = by
    current.version += 1
    current.save()
    if credits is not None:
        current.credits.all().delete()
        ArticleSource.objects.bulk_create(
            ArticleSource(article=current, source=source, role=role, position=position)
            for position, (source, role) in enumerate(_unique_credits(credits), start=1)
        )
    return current


def _unique_credits(credits):
    seen = set()
    for source, role in credits:
        if source.pk not in seen:
            seen.add(source.pk)
            yield source, role
