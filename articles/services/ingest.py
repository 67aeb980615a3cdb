"""Wire copy in, stories out: parse, match the story a take continues, create or append, in one transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import unquote

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import wire
from articles.models import Article, AuditEntry, Part, SourceKind, SourceRole
from articles.selectors.sources import find_sources
from articles.selectors.stories import can_see_unpublished, visible_to
from articles.text import match_key
from newsroom.prepared import TEXT, Prepared

from . import workflow
from .changes import story_change
from .errors import IngestError, NotAllowed, ServiceError, StoryNotFound
from .parts import NewPart, add_parts
from .sources import resolve_sources
from .stories import add_credits, create_story

CREATED, APPENDED, UNCHANGED, PUBLISHED = "created", "appended", "unchanged", "published"

_KIND_FOR_ROLE = {
    SourceRole.ORIGINATING_AGENCY: SourceKind.AGENCY,
    SourceRole.PUBLISHER: SourceKind.PUBLISHER,
    SourceRole.CONTRIBUTOR: SourceKind.AGENCY,
}


@dataclass(frozen=True)
class IngestResult:
    """What happened to one piece of copy; as_dict() is the line `ingest_wire` prints and the API returns.
    `article` is None when the copy is already held by a story the caller may not see (`withheld`): the answer
    is "unchanged" without that story's id, address or number of parts."""

    article: Article | None
    action: str
    parts: int | None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def withheld(self) -> bool:
        return self.article is None

    def as_dict(self) -> dict:
        return {
            "id": None if self.withheld else self.article.pk,
            "action": self.action,
            # an IRI: Arabic slugs stay readable
            "url": None if self.withheld else unquote(self.article.get_absolute_url()),
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
        raise IngestError(
            _("the copy is larger than the limit of %(limit)s MB") % {"limit": wire.MAX_BYTES // 1_000_000}
        )
    if "\x00" in text:
        raise IngestError(_("the copy contains a NUL character at position %(at)s") % {"at": text.index(chr(0))})
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise IngestError(
            _("the copy contains an unpaired surrogate at position %(at)s") % {"at": error.start}
        ) from error


def parse(text: str) -> wire.WireStory:
    """Parse copy for a preview or an ingest, mapping the parser's refusal to IngestError."""
    _check_text(text)
    try:
        return wire.parse(text, reference=timezone.now())
    except wire.WireError as error:
        raise IngestError(str(error)) from error


def _continued_story(story: wire.WireStory, *, now, by=None) -> tuple[Article | None, list[str]]:
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
    if candidates and story.sources:
        named = {source.pk for source in find_sources(ref.name for ref in story.sources).values()}
        candidates = [
            article for article in candidates if named & {credit.source_id for credit in article.credits.all()}
        ]
    warnings = []
    # A story the user may not see (another reporter's draft, an embargoed one) is not continued and not named:
    # to them it does not exist, and their take becomes a new draft as any take that continues nothing.
    if candidates and by is not None and not can_see_unpublished(by):
        seen = set(visible_to(by).filter(pk__in=[article.pk for article in candidates]).values_list("pk", flat=True))
        candidates = [article for article in candidates if article.pk in seen]
    editable = [article for article in candidates if workflow.can_edit(by, article)]
    if candidates and not editable:
        # The take is kept (nothing a reporter files is lost) as a new draft an editor can merge.
        warnings.append(
            _(
                "this take continues story %(id)s, which you may not edit; it was stored as a new draft "
                "for an editor to merge"
            )
            % {"id": candidates[0].pk}
        )
    candidates = editable
    if len(candidates) > 1:
        warnings.append(
            _("%(count)s developing stories match this take; appended to the most recently filed (id %(id)s)")
            % {"count": len(candidates), "id": candidates[0].pk}
        )
    return (candidates[0] if candidates else None), warnings


# Whether any story has this headline's key (most copy is a new story: then nothing else is asked).
_HEADLINE_TAKEN = Prepared(lambda key: Article.objects.filter(headline_key=key).order_by().only("pk")[:1], key=TEXT)


@dataclass(frozen=True)
class Plan:
    """What ingesting a piece of copy would do, decided before anything is written. `stored`: the part of a story
    the user may see that already holds this copy; `held_unseen`: only stories the user may not see hold it
    (the copy is not stored twice, and the story is not named)."""

    story: wire.WireStory
    digest: str
    target: Article | None
    stored: Part | None
    notes: tuple[str, ...]
    held_unseen: bool = False

    @property
    def action(self) -> str:
        return UNCHANGED if self.stored or self.held_unseen else APPENDED if self.target else CREATED


def plan(*, text: str, append_to: int | None = None, now=None, by=None) -> Plan:
    """Parse copy and decide where it goes: a new story, the story it continues, or nowhere (unchanged)."""
    return _plan(parse(text), copy_digest(text), append_to=append_to, now=now, by=by)


def _plan(story: wire.WireStory, digest: str, *, append_to: int | None, now, by) -> Plan:
    notes = list(story.warnings)
    if append_to is not None:
        # A story this user may not see is answered as one that does not exist: neither its headline (the
        # refusal, the paste page's preview) nor "unchanged" with its id and address may confirm it is there.
        stories = Article.objects.all() if by is None else visible_to(by)
        target = stories.filter(pk=append_to).first()
        if target is None:
            raise StoryNotFound(_("there is no story with id %(id)s to append to") % {"id": append_to})
    elif not _HEADLINE_TAKEN.rows(key=story.key):
        # New copy, the common case: no story has its headline, so none continues and none holds this copy.
        return Plan(story=story, digest=digest, target=None, stored=None, notes=tuple(notes))
    else:
        target, match_notes = _continued_story(story, now=now or timezone.now(), by=by)
        notes += match_notes
    # Copy already stored (in the story it continues, or in a finished story with the same headline)
    # is answered "unchanged" and nothing is written, --publish included.
    stored = Part.objects.filter(copy_digest=digest)
    stored = stored.filter(article=target) if target else stored.filter(article__headline_key=story.key)
    stored = stored.select_related("article").order_by("-article_id")
    if target is None and by is not None and not can_see_unpublished(by):
        # The story holding this copy may be one the user may not see (another reporter's draft, an embargoed
        # one): a story they see is named first; when none is, the copy is still not stored twice, but the answer
        # withholds the story (its id, address and headline).
        seen = Exists(visible_to(by).filter(pk=OuterRef("article_id")))
        existing = stored.annotate(seen=seen).order_by("-seen", "-article_id").first()
        if existing is not None and not existing.seen:
            return Plan(story=story, digest=digest, target=None, stored=None, notes=tuple(notes), held_unseen=True)
    else:
        existing = stored.first()
    return Plan(story=story, digest=digest, target=target, stored=existing, notes=tuple(notes))


def _serialise(digest: str) -> None:
    """Hold the copy's digest for this transaction, so that the same copy delivered ten times at once is stored
    once: PostgreSQL takes an advisory lock on it; SQLite's IMMEDIATE transactions serialise writers already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(digest[:15], 16)])


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
    """Store a piece of wire copy: a new story, the next take of one, or nothing when it is already stored
    (except that stored copy of a draft, given again with publish, publishes it)."""
    if publish and by is not None and not by.has_perm("articles.publish_article"):
        raise NotAllowed(_("you may ingest copy, but not publish it: leave publish off"))
    parsed = parse(text)  # refuse bad copy before taking any lock
    digest = copy_digest(text)
    now = timezone.now()
    with transaction.atomic():
        _serialise(digest)
        decided = _plan(parsed, digest, append_to=append_to, now=now, by=by)
        story, notes = decided.story, [*warnings, *decided.notes]
        if decided.held_unseen:
            # Nothing is written, and nothing published: a draft the user may not see is not theirs to publish.
            notes.append(
                _("this copy is already held in a story you may not see; nothing was written or published")
                if publish
                else _("this copy is already held in a story you may not see; nothing was written")
            )
            return IngestResult(article=None, action=UNCHANGED, parts=None, warnings=tuple(notes))
        if decided.stored is not None:
            return _already_stored(decided.stored.article, publish=publish, by=by, via=via, notes=notes)
        new_parts = [NewPart(body=take.body, continues=take.continues, label=take.label) for take in story.parts]
        try:
            sources = resolve_sources(
                (ref.name, _KIND_FOR_ROLE.get(ref.role, SourceKind.AGENCY)) for ref in story.sources
            )
        except ServiceError as error:  # a name no alias can hold: the copy is refused, nothing written
            raise IngestError(
                _("a source this copy names cannot be recorded: %(reason)s") % {"reason": error.message}
            ) from error
        credits = list(zip(sources, (ref.role for ref in story.sources), strict=True))
        if decided.target is None:
            article = create_story(
                headline=story.headline,
                language=language,
                section=story.section,
                byline=story.byline,
                dateline=story.dateline,
                dateline_date=story.dateline_date,
                dateline_place=story.place,
                credits=credits,
                parts=new_parts,
                publish=publish,
                copy_digest=decided.digest,
                filed_at=now,
                by=by,
                via=via,
                comment="ingested wire copy",
                savepoint=False,  # any error ends this transaction (nothing half-written, nothing else to keep)
            )
            action, count = CREATED, len(new_parts)
        else:
            if story.dateline:
                notes.append(_("this take has a dateline; the story keeps the date and place of its first take"))
            with story_change(decided.target, by=by, via=via, comment="ingested wire copy") as change:
                change.require_edit()
                add_credits(change, credits)
                add_parts(change, new_parts, copy_digest=decided.digest, filed_at=now)
                if publish and change.article.status in (Article.Status.DRAFT, Article.Status.IN_REVIEW):
                    workflow.apply(change, "publish")
            article, action = change.article, APPENDED
            count = article.parts.count()
    return IngestResult(article=article, action=action, parts=count, warnings=tuple(notes))


def _already_stored(article: Article, *, publish: bool, by, via: str, notes: list[str]) -> IngestResult:
    """Copy already stored changes nothing, except that --publish publishes its story while it is a draft."""
    action = UNCHANGED
    if publish and article.status in (Article.Status.DRAFT, Article.Status.IN_REVIEW):
        article = workflow.transition(article=article, name="publish", by=by, via=via)
        action = PUBLISHED
    return IngestResult(article=article, action=action, parts=article.parts.count(), warnings=tuple(notes))
