"""Wire copy in, stories out: parse, match the story a take continues, create or append, in one transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import unquote

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from articles import wire
from articles.models import Article, AuditEntry, Part, SourceKind, SourceRole
from articles.text import match_key

from . import workflow
from .articles import create_article, credit_sources, section_named
from .audit import audit
from .errors import IngestError, NotAllowed, StoryNotFound
from .parts import NewPart, append_parts
from .revisions import recorded
from .sources import find_sources, resolve_sources

CREATED, APPENDED, UNCHANGED = "created", "appended", "unchanged"

_KIND_FOR_ROLE = {
    SourceRole.ORIGINATING_AGENCY: SourceKind.AGENCY,
    SourceRole.PUBLISHER: SourceKind.PUBLISHER,
    SourceRole.CONTRIBUTOR: SourceKind.AGENCY,
}


@dataclass(frozen=True)
class IngestResult:
    """What happened to one piece of copy; as_dict() is the line `ingest_wire` prints and the API returns."""

    article: Article
    action: str
    parts: int
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return {
            "id": self.article.pk,
            "action": self.action,
            "url": unquote(self.article.get_absolute_url()),  # an IRI: Arabic slugs stay readable
            "parts": self.parts,
            "warnings": list(self.warnings),
        }


def copy_digest(text: str) -> str:
    """SHA-256 of the copy through match_key, so whitespace or letter-form noise is the same copy."""
    return hashlib.sha256(match_key(text).encode("utf-8")).hexdigest()


def decode(data: bytes, *, encoding: str | None = None) -> tuple[str, list[str]]:
    """Bytes from a file, stdin or an HTTP body to text, refusing oversize or undecodable copy."""
    try:
        wire.check_size(data)
        text, warnings = wire.decode(data, encoding)
    except wire.WireError as error:
        raise IngestError(str(error)) from error
    return text, list(warnings)


def ingest_bytes(
    *,
    data: bytes,
    encoding: str | None = None,
    publish: bool = False,
    append_to: int | None = None,
    language: str = "ar",
    by=None,
    via: str = AuditEntry.Via.SYSTEM,
) -> IngestResult:
    """Decode raw copy, then ingest it."""
    text, warnings = decode(data, encoding=encoding)
    return ingest(text=text, publish=publish, append_to=append_to, language=language, by=by, via=via, warnings=warnings)


def _check_text(text: str) -> None:
    if len(text.encode("utf-8", "surrogatepass")) > wire.MAX_BYTES:
        raise IngestError(f"the copy is larger than the limit of {wire.MAX_BYTES // 1_000_000} MB")
    if "\x00" in text:
        raise IngestError(f"the copy contains a NUL character at position {text.index(chr(0))}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise IngestError(f"the copy contains an unpaired surrogate at position {error.start}") from error


def parse(text: str) -> wire.WireStory:
    """Parse copy for a preview or an ingest, mapping the parser's refusal to IngestError."""
    _check_text(text)
    try:
        return wire.parse(text)
    except wire.WireError as error:
        raise IngestError(str(error)) from error


def _continued_story(story: wire.WireStory, *, now) -> tuple[Article | None, list[str]]:
    """The story this take continues: same key, last part continues and was filed recently, sources overlap."""
    last_part = Part.objects.filter(article=OuterRef("pk")).order_by("-number")
    since = now - timedelta(hours=settings.NEWSROOM_TAKE_WINDOW_HOURS)
    candidates = list(
        Article.objects.filter(headline_key=story.key)
        .annotate(
            last_continues=Subquery(last_part.values("continues")[:1]),
            last_filed=Subquery(last_part.values("filed_at")[:1]),
        )
        .filter(last_continues=True, last_filed__gte=since)
        .order_by("-last_filed", "-pk")
        .prefetch_related("credits")
    )
    if story.sources:
        named = {source.pk for source in find_sources(ref.name for ref in story.sources).values()}
        candidates = [
            article for article in candidates if named & {credit.source_id for credit in article.credits.all()}
        ]
    warnings = []
    if len(candidates) > 1:
        warnings.append(
            f"{len(candidates)} developing stories match this take; appended to the most recently filed "
            f"(id {candidates[0].pk})"
        )
    return (candidates[0] if candidates else None), warnings


@dataclass(frozen=True)
class Plan:
    """What ingesting a piece of copy would do, decided before anything is written."""

    story: wire.WireStory
    digest: str
    target: Article | None
    stored: Part | None
    notes: tuple[str, ...]

    @property
    def action(self) -> str:
        return UNCHANGED if self.stored else APPENDED if self.target else CREATED


def plan(*, text: str, append_to: int | None = None, now=None) -> Plan:
    """Parse copy and decide where it goes: a new story, the story it continues, or nowhere (unchanged)."""
    story = parse(text)
    notes = list(story.warnings)
    digest = copy_digest(text)
    if append_to is not None:
        target = Article.objects.filter(pk=append_to).first()
        if target is None:
            raise StoryNotFound(f"there is no story with id {append_to} to append to")
    else:
        target, match_notes = _continued_story(story, now=now or timezone.now())
        notes += match_notes
    # Copy already stored (in the story it continues, or in a finished story with the same headline)
    # is answered "unchanged" and nothing is written, --publish included.
    stored = Part.objects.filter(copy_digest=digest)
    stored = stored.filter(article=target) if target else stored.filter(article__headline_key=story.key)
    existing = stored.select_related("article").order_by("-article_id").first()
    return Plan(story=story, digest=digest, target=target, stored=existing, notes=tuple(notes))


@recorded("ingested wire copy")
def ingest(
    *,
    text: str,
    publish: bool = False,
    append_to: int | None = None,
    by=None,
    via: str = AuditEntry.Via.SYSTEM,
    language: str = "ar",
    warnings: list[str] | tuple[str, ...] = (),
) -> IngestResult:
    """Store a piece of wire copy: a new story, the next take of one, or nothing when it is already stored."""
    if publish and by is not None and not by.has_perm("articles.publish_article"):
        raise NotAllowed("you may ingest copy, but not publish it: leave publish off")
    now = timezone.now()
    decided = plan(text=text, append_to=append_to, now=now)
    story, notes = decided.story, [*warnings, *decided.notes]
    if decided.stored is not None:
        article = decided.stored.article
        return IngestResult(article=article, action=UNCHANGED, parts=article.parts.count(), warnings=tuple(notes))

    new_parts = [NewPart(body=take.body, continues=take.continues, label=take.label) for take in story.parts]
    credits = zip(
        resolve_sources((ref.name, _KIND_FOR_ROLE.get(ref.role, SourceKind.AGENCY)) for ref in story.sources),
        (ref.role for ref in story.sources),
        strict=True,
    )
    if decided.target is None:
        article = create_article(
            headline=story.headline,
            language=language,
            by=by,
            section=section_named(story.section),
            byline=story.byline,
            dateline=story.dateline,
            dateline_date=story.dateline_date,
            dateline_place=story.place,
            status=Article.Status.PUBLISHED if publish else Article.Status.DRAFT,
        )
        credit_sources(article=article, credits=credits, by=by)
        append_parts(article=article, parts=new_parts, by=by, copy_digest=decided.digest, filed_at=now)
        if publish:
            audit(article=article, action=AuditEntry.Action.PUBLISH, by=by, via=via, detail={"ingest": True})
        action = CREATED
    else:
        article = decided.target
        if story.dateline:
            notes.append("this take has a dateline; the story keeps the date and place of its first take")
        credit_sources(article=article, credits=credits, by=by)
        append_parts(article=article, parts=new_parts, by=by, copy_digest=decided.digest, filed_at=now)
        if publish and article.status in (Article.Status.DRAFT, Article.Status.IN_REVIEW):
            workflow.transition(article=article, name="publish", by=by, via=via)
        action = APPENDED
    return IngestResult(article=article, action=action, parts=article.parts.count(), warnings=tuple(notes))
