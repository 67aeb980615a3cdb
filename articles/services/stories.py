"""Creating, editing and deleting stories: plain data in, one change each (see changes.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from articles.models import Article, ArticleSource, AuditEntry, Section, Source, SourceRole
from articles.selectors.stories import may_see, visible_to
from articles.text import match_key
from newsroom.inserts import insert

from .changes import Change, story_change
from .errors import NotAllowed, ServiceError, TranslationExists, fitting_key
from .sources import unique_slug


@dataclass(frozen=True)
class Credit:
    """A source to credit on a story: its slug and the role it played."""

    source: str
    role: str = SourceRole.ORIGINATING_AGENCY


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
        "comments_open",
        "comment_moderation",
    }
)
_TEXT_FIELDS = ("headline", "slug", "summary", "byline", "dateline", "dateline_place")


def slug_for(headline: str) -> str:
    """The URL slug of a headline: Unicode letters kept (Arabic stays Arabic), at most 80 characters."""
    return slugify(headline, allow_unicode=True)[:80].strip("-") or "story"


def clean_text(value: str) -> str:
    """Line endings from browsers and Windows wires become \\n; nothing else in the text changes."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def check_text(label, value: str, *, limit: int | None = None) -> None:
    """Refuse text no field may hold: NUL characters, or more characters than the field's limit."""
    if "\x00" in value:
        raise ServiceError(
            _("the %(field)s contains a NUL character at position %(at)s") % {"field": label, "at": value.index("\x00")}
        )
    if limit is not None and len(value) > limit:
        raise ServiceError(
            _("the %(field)s is %(length)s characters long; the limit is %(limit)s")
            % {"field": label, "length": len(value), "limit": limit}
        )


def _check_fields(values: dict) -> None:
    for name in _TEXT_FIELDS:
        if name in values and values[name] is not None:
            field = Article._meta.get_field(name)
            check_text(field.verbose_name, values[name], limit=field.max_length)


def section_named(name: str) -> Section | None:
    """The section called name, created when the newsroom has none by that name yet."""
    name = " ".join((name or "").split())
    if not name:
        return None
    check_text(Section._meta.get_field("name").verbose_name, name, limit=Section._meta.get_field("name").max_length)
    section = Section.objects.filter(name=name).first()
    if section is None:
        section = Section.objects.create(name=name, slug=unique_slug(Section, name, fallback="section"))
    return section


def headline_key_for(headline: str) -> str:
    """The headline's matching key (articles.text.match_key), refused when it outgrows its column: NFKC and case
    folding lengthen some text (the ligature ﷺ becomes 18 letters, ß becomes ss), and the stored headline is
    never cut to make it fit."""
    message = _(
        "the headline is too long once normalised for matching (ligatures and letters such as ß expand): "
        "%(length)s characters, the limit is %(limit)s; shorten the headline"
    )
    return fitting_key(match_key(headline), Article, "headline_key", message)


def _lock(pk: int) -> None:
    """Lock a story's row until the transaction ends: whoever makes or moves a translation of an original
    locks the original first, so two of them cannot both find a language free (one translation per language)."""
    Article.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True).first()


def original_for(pk: int | None, *, of: Article | None = None, by=None, lock: bool = False) -> Article | None:
    """The story `pk` as an original to translate: it exists, `by` may see it (selectors.visible_to; None: the
    system, which sees every story), and it is not itself a translation. A story `by` may not see is refused
    as one that does not exist. `lock`: lock the original's row first (see _lock)."""
    if pk is None:
        return None
    if of is not None and of.pk == pk:
        raise ServiceError(_("a story cannot be a translation of itself"))
    if lock:
        _lock(pk)
    stories = Article.objects.all() if by is None else visible_to(by)
    original = stories.filter(pk=pk).first()
    if original is None:
        raise ServiceError(_("there is no story with id %(id)s to be a translation of") % {"id": pk})
    if original.translation_of_id is not None:
        raise ServiceError(
            _("story %(id)s is itself a translation: translate its original, story %(original)s")
            % {"id": original.pk, "original": original.translation_of_id}
        )
    return original


def check_translation(article: Article, *, new_language: bool = True, by=None) -> None:
    """The rules of language versions: another language than the original's, one translation per language,
    and an original that is not itself translated from something (nor made a translation of another).
    `new_language`: the story's language is being set, so its own translations must be in other languages.
    A refusal names the other story in the way only when `by` may see it (None: the system)."""
    if new_language and article.pk:
        clash = Article.objects.filter(translation_of=article, language=article.language)
        translation = clash.values_list("pk", flat=True).first()
        if translation is not None and not may_see(by, translation):
            raise ServiceError(
                _("story %(id)s has a translation into %(language)s: it cannot be in that language itself")
                % {"id": article.pk, "language": article.language}
            )
        if translation is not None:
            raise ServiceError(
                _(
                    "story %(id)s has a translation into %(language)s (story %(translation)s): "
                    "it cannot be in that language itself"
                )
                % {"id": article.pk, "language": article.language, "translation": translation}
            )
    original = article.translation_of
    if original is None:
        return
    if article.language == original.language:
        raise ServiceError(
            _("a translation must be in another language than its original (%(language)s)")
            % {"language": original.language}
        )
    clash = Article.objects.filter(translation_of=original, language=article.language).exclude(pk=article.pk)
    existing = clash.values_list("pk", flat=True).first()
    if existing is not None and not may_see(by, existing):
        raise ServiceError(
            _("story %(id)s already has a translation into %(language)s")
            % {"id": original.pk, "language": article.language}
        )
    if existing is not None:
        raise ServiceError(
            _("story %(id)s already has a translation into %(language)s: story %(existing)s")
            % {"id": original.pk, "language": article.language, "existing": existing}
        )
    if article.pk and Article.objects.filter(translation_of=article).exists():
        raise ServiceError(
            _("story %(id)s has translations of its own: it cannot be a translation") % {"id": article.pk}
        )


def _second_translation(
    error: IntegrityError, *, original: int | None, language: str, by=None
) -> TranslationExists | None:
    """The refusal a unique violation of one translation per language stands for (a race the lock on the original
    leaves no room for, kept as a net), or None when the database refused something else. The existing
    translation is named only to whoever may see it (`by`; None: the system)."""
    text = str(error)
    table = Article._meta.db_table
    if original is None or not (
        "article_one_translation_per_language" in text  # PostgreSQL names the constraint
        or f"{table}.translation_of_id, {table}.language" in text  # SQLite names its columns
    ):
        return None
    existing = None
    if not transaction.get_connection().needs_rollback:  # else the caller's transaction can read nothing more
        existing = Article.objects.filter(translation_of_id=original, language=language).values_list("pk", flat=True)
        existing = existing.first()
        if existing is not None and not may_see(by, existing):
            existing = None
    if existing is None:
        message = _("story %(id)s already has a translation into %(language)s") % {"id": original, "language": language}
    else:
        message = _("story %(id)s already has a translation into %(language)s: story %(existing)s") % {
            "id": original,
            "language": language,
            "existing": existing,
        }
    return TranslationExists(message, existing=existing)


def _plain(changes: dict) -> dict:
    values = dict(changes)
    for name in ("headline", "summary"):
        if name in values:
            values[name] = clean_text(values[name] or "")
    if "headline" in values:
        values["headline"] = values["headline"].strip()
        if not values["headline"]:
            raise ServiceError(_("a story needs a headline"))
    for name in ("slug", "byline", "dateline", "dateline_place"):
        if name in values and values[name] is None:
            values[name] = ""
    _check_fields(values)
    return values


def _comment_moderation(value) -> str:
    if (value or "") not in ("", "pre", "post", "new"):
        raise ServiceError(_("comment moderation is pre, post, new or empty (the newsroom's setting)"))
    return value or ""


def _language(code: str) -> str:
    from django.conf import settings

    if code not in settings.NEWSROOM_LANGUAGES:
        raise ServiceError(
            _("unknown story language “%(code)s”; this newsroom writes in: %(known)s")
            % {"code": code, "known": ", ".join(settings.NEWSROOM_LANGUAGES)}
        )
    return code


def set_credits(change: Change, credits: Iterable[Credit | tuple]) -> None:
    """Make the story's credited sources exactly these, in this order (a source named twice counts once)."""
    wanted = _resolve_credits(credits)
    article = change.article
    current = [(c.source_id, c.role) for c in article.credits.order_by("position")]
    if current == [(source.pk, role) for source, role in wanted]:
        return
    article.credits.all().delete()
    insert(
        ArticleSource(article=article, source=source, role=role, position=position, published_at=article.published_at)
        for position, (source, role) in enumerate(wanted, start=1)
    )
    change.credits_changed()


def add_credits(change: Change, credits: Iterable[Credit | tuple]) -> None:
    """Credit sources after those the story has already; a source credited already is skipped."""
    article = change.article
    current = change.rows("credits")
    if current is None:
        current = list(article.credits.all())
    credited = {c.source_id for c in current}
    new = [(source, role) for source, role in _resolve_credits(credits) if source.pk not in credited]
    after = max((c.position for c in current), default=0)
    added = insert(
        ArticleSource(article=article, source=source, role=role, position=position, published_at=article.published_at)
        for position, (source, role) in enumerate(new, start=after + 1)
    )
    change.credits_added(added)


def _resolve_credits(credits: Iterable[Credit | tuple]) -> list[tuple[Source, str]]:
    pairs = [(c.source, c.role) if isinstance(c, Credit) else (c[0], c[1]) for c in credits]
    roles = set(SourceRole.values)
    for _source, role in pairs:
        if role not in roles:
            raise ServiceError(_("unknown source role “%(role)s”") % {"role": role})
    slugs = [s for s, _role in pairs if not isinstance(s, Source)]
    for slug in slugs:
        check_text(_("source"), slug)
    known = {source.slug: source for source in Source.objects.filter(slug__in=slugs)} if slugs else {}
    unknown = [slug for slug in slugs if slug not in known]
    if unknown:
        raise ServiceError(_("there is no source with the slug %(slugs)s") % {"slugs": ", ".join(unknown)})
    seen, resolved = set(), []
    for source, role in pairs:
        source = source if isinstance(source, Source) else known[source]
        if source.pk not in seen:
            seen.add(source.pk)
            resolved.append((source, role))
    return resolved


def create_story(
    *,
    headline: str,
    language: str = "ar",
    section: str = "",
    summary: str = "",
    byline: str = "",
    dateline: str = "",
    dateline_date=None,
    dateline_place: str = "",
    slug: str = "",
    translation_of: int | None = None,
    comments_open: bool = True,
    comment_moderation: str = "",
    credits: Sequence[Credit | tuple] = (),
    parts: Sequence = (),
    publish: bool = False,
    copy_digest: str = "",
    filed_at=None,
    by=None,
    via: str = AuditEntry.Via.SYSTEM,
    comment: str = "created",
    savepoint: bool = True,
) -> Article:
    """Create a story with its credits and parts as one change (version 1); publish=True publishes it in the
    same change, through the workflow's rules. `savepoint`: as story_change's."""
    from . import parts as part_services
    from . import workflow

    values = _plain(
        {
            "headline": headline,
            "summary": summary,
            "byline": byline,
            "dateline": dateline,
            "dateline_place": dateline_place,
            "slug": slug,
        }
    )
    headline_key = headline_key_for(values["headline"])
    try:
        with story_change(None, by=by, via=via, comment=comment, savepoint=savepoint) as change:
            values["slug"] = values["slug"] or slug_for(values["headline"])
            original = original_for(translation_of, by=by, lock=True)
            check_translation(Article(language=language, translation_of=original), by=by)
            change.create(
                **values,
                headline_key=headline_key,
                language=_language(language),
                section=section_named(section),
                dateline_date=dateline_date,
                translation_of=original,
                comments_open=bool(comments_open),
                comment_moderation=_comment_moderation(comment_moderation),
            )
            parts = part_services.cleaned(parts)  # refused before anything is written
            if publish:
                # Before the INSERT, which then writes the story published (one statement, not an UPDATE after it).
                workflow.apply(change, "publish", has_parts=bool(parts))
            change.insert()
            part_services.add_parts(change, parts, copy_digest=copy_digest, filed_at=filed_at)
            # After the publication, so that each credit is written with the story's time (ArticleSource.published_at)
            # rather than written and then updated.
            add_credits(change, credits)
    except IntegrityError as error:
        refusal = _second_translation(error, original=translation_of, language=language, by=by)
        if refusal is None:
            raise
        raise refusal from error
    return change.article


def edit_story(
    *,
    article: Article | int,
    changes: dict | None = None,
    credits: Sequence[Credit | tuple] | None = None,
    parts=None,
    by=None,
    via: str = AuditEntry.Via.SYSTEM,
    expected_version: int | None = None,
) -> Article:
    """Change a story's fields (plain values: section by name, translation_of by id), and when given replace its
    credits and apply part edits (a parts.PartEdits), as one change."""
    from . import parts as part_services

    changes = dict(changes or {})
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ServiceError(_("these fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    values = _plain(changes)
    if "headline" in values:
        headline_key_for(values["headline"])  # refused before any lock is taken
    moved = None  # the original this story is a translation of, when the change sets its language or original
    try:
        with story_change(article, by=by, via=via, expected_version=expected_version, comment="edited") as change:
            change.require_edit()
            current = change.article
            old_auto_slug = current.slug == slug_for(current.headline)
            for name, value in values.items():
                if name == "section":
                    current.section = section_named(value)
                elif name == "translation_of":
                    current.translation_of = original_for(value, of=current, by=by, lock=True)
                elif name == "language":
                    current.language = _language(value)
                elif name == "comment_moderation":
                    current.comment_moderation = _comment_moderation(value)
                elif name == "comments_open":
                    current.comments_open = bool(value)
                else:
                    setattr(current, name, value)
            if current.translation_of_id is not None and {"language", "translation_of"} & values.keys():
                moved = current.translation_of_id
                if "translation_of" not in values:
                    _lock(moved)  # (original_for locked a new original)
            check_translation(current, new_language="language" in values, by=by)
            current.headline_key = headline_key_for(current.headline)
            if not values.get("slug") and (old_auto_slug or not current.slug):
                current.slug = slug_for(current.headline)  # a slug nobody chose follows the headline
            if credits is not None:
                set_credits(change, credits)
            if parts is not None:
                part_services.apply_edits(change, parts)
    except IntegrityError as error:
        refusal = (
            None if moved is None else _second_translation(error, original=moved, language=current.language, by=by)
        )
        if refusal is None:
            raise
        raise refusal from error
    return change.article


def delete_story(*, article: Article | int, by=None, via: str = AuditEntry.Via.SYSTEM, expected_version=None) -> None:
    """Delete a story; its last revision stays, so an editor can recover it, and the deletion is audited."""
    with story_change(article, by=by, via=via, expected_version=expected_version, comment="before deletion") as change:
        if by is not None and not by.has_perm("articles.delete_article"):
            raise NotAllowed(_("you may not delete stories"))
        change.require_edit()
        change.record(AuditEntry.Action.DELETE)
        change.delete()
