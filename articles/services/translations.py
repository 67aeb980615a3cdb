"""Translations: language versions of an original, each knowing paragraph by paragraph what it renders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import staleness
from articles.models import Article, AuditEntry, Correction, TranslationBaseline
from articles.selectors.stories import may_see, shows_withheld_text

from .changes import What, story_change
from .errors import NotAllowed, ServiceError, TranslationExists
from .parts import NewPart
from .stories import create_story


@dataclass(frozen=True)
class Staleness:
    """Where a translation stands against its original now."""

    outdated: bool
    source_version: int | None
    original_version: int
    paragraphs: tuple[staleness.State, ...]  # every paragraph, current ones included
    headline_changed: bool
    summary_changed: bool
    corrections_changed: bool

    @property
    def not_current(self) -> list[staleness.State]:
        return [state for state in self.paragraphs if state.state != staleness.CURRENT]


def original_paragraphs(original: Article) -> list[staleness.Paragraph]:
    return staleness.paragraphs_of((part.number, part.body) for part in original.ordered_parts)


def _public_corrections(original: Article) -> list[str]:
    return [c.note for c in Correction.objects.filter(article=original, public=True).order_by("created_at", "pk")]


def _translated_positions(translation: Article) -> list[tuple[int, int]]:
    parts = translation.parts.order_by("number").values_list("number", "body")
    return [(p.part, p.paragraph) for p in staleness.paragraphs_of(parts)]


def _record(translation: Article, original: Article, *, by=None, complete: bool = False) -> TranslationBaseline:
    """Write the baseline: the original as it stands now, each translated paragraph rendering the original's
    paragraph at the same place. `complete` (marking current) counts every paragraph of the original as
    rendered, those the translation leaves out included: the translator has decided they need nothing."""
    now = original_paragraphs(original)
    if complete:
        rendered = [staleness.Rendered(p.part, p.paragraph, p.digest, p.text, p.part, p.paragraph) for p in now]
    else:
        rendered = staleness.by_position(_translated_positions(translation), now)
    baseline, _created = TranslationBaseline.objects.update_or_create(
        translation=translation,
        defaults={
            "source_version": original.version,
            "headline": original.headline,
            "summary": original.summary,
            "corrections": _public_corrections(original),
            "paragraphs": [asdict(r) for r in rendered],
            "marked_at": timezone.now(),
            "marked_by": by if getattr(by, "is_authenticated", False) else None,
        },
    )
    baseline.outdated = measure(translation, original=original, baseline=baseline).outdated
    baseline.save(update_fields=["outdated"])
    return baseline


def _original_of(original: Article | int, *, by=None) -> Article:
    """The story to translate: one that exists, that `by` may see, and that is not itself a translation (the
    rule is the story service's)."""
    from .stories import original_for

    pk = original.pk if isinstance(original, Article) else original
    if not Article.objects.filter(pk=pk).exists():
        raise ServiceError(_("there is no story with id %(id)s to translate") % {"id": pk})
    return original_for(pk, by=by)


def check_not_withheld(original: Article, by) -> None:
    """A retracted story's text is withdrawn: only those who may read it (editors) translate it, or see it beside
    a translation; to anyone else the translation would hand the text a retraction withholds."""
    if original.status == Article.Status.RETRACTED and by is not None and not shows_withheld_text(by):
        raise NotAllowed(
            _("story %(id)s is retracted: its withdrawn text is not translated, except by editors")
            % {"id": original.pk}
        )


def create_translation(
    *,
    original: Article | int,
    language: str,
    headline: str,
    summary: str = "",
    parts: Sequence[NewPart] | None = None,
    by=None,
    via: str = AuditEntry.Via.SYSTEM,
) -> Article:
    """A draft translation of `original` into `language`, credited to `by`. Posted parts map to the original's
    by position; without parts, each part is prefilled with the original's paragraphs to be replaced."""
    if by is not None and not by.has_perm("articles.add_article"):
        raise NotAllowed(_("you may not create translations"))
    with transaction.atomic():
        original = _original_of(original, by=by)
        Article.objects.select_for_update().filter(pk=original.pk).first()  # one translation per language at once
        check_not_withheld(original, by)
        if language == original.language:
            raise ServiceError(
                _("a translation must be in another language than its original (%(language)s)") % {"language": language}
            )
        existing = Article.objects.filter(translation_of=original, language=language).values_list("pk", flat=True)
        if existing:
            raise _translation_exists(original, language, existing[0], by=by)
        if parts is None:
            parts = [NewPart(body=part.body, continues=part.continues) for part in original.ordered_parts]
        translation = create_story(
            headline=headline,
            language=language,
            summary=summary,
            section=original.section.name if original.section_id else "",
            dateline_date=original.dateline_date,
            translation_of=original.pk,
            credits=[(credit.source, credit.role) for credit in original.ordered_credits],
            parts=parts,
            by=by,
            via=via,
            comment="translation created",
        )
        if getattr(by, "is_authenticated", False):
            translation.translated_by.add(by)
        _record(translation, original, by=by)
    return translation


def _translation_exists(original: Article, language: str, existing: int, *, by=None) -> TranslationExists:
    """The refusal of a second translation into one language. It names the translation only to someone who may
    see it: another translator's draft is not theirs to learn the id of (`existing` is then None)."""
    if may_see(by, existing):
        return TranslationExists(
            _("story %(id)s already has a translation into %(language)s: story %(existing)s")
            % {"id": original.pk, "language": language, "existing": existing},
            existing=existing,
        )
    return TranslationExists(
        _("story %(id)s already has a translation into %(language)s") % {"id": original.pk, "language": language},
        existing=None,
    )


def mark_current(
    *, translation: Article | int, by=None, via: str = AuditEntry.Via.SYSTEM, expected_version: int | None = None
) -> Article:
    """Record that the translation renders its original as it is now: the original's version and digests."""
    with story_change(
        translation, by=by, via=via, expected_version=expected_version, comment="marked current"
    ) as change:
        current = change.article
        if current.translation_of_id is None:
            raise ServiceError(_("story %(id)s is not a translation") % {"id": current.pk})
        if not _may_translate(by, current):
            raise NotAllowed(_("you may not mark this translation current"))
        original = Article.objects.get(pk=current.translation_of_id)
        check_not_withheld(original, by)  # the baseline would hold the withdrawn text, shown as "then" later
        _record(current, original, by=by, complete=True)
        change.translation_changed()
    return change.article


def _may_translate(user, translation: Article) -> bool:
    from .workflow import can_edit

    if user is None or user.has_perm("articles.edit_any_article"):
        return True
    return can_edit(user, translation) or translation.translated_by.filter(pk=user.pk).exists()


def measure(
    translation: Article, *, original: Article | None = None, baseline: TranslationBaseline | None = None
) -> Staleness:
    """The translation against its original now (a read: three small queries)."""
    original = original or Article.objects.prefetch_related("parts").get(pk=translation.translation_of_id)
    baseline = baseline or TranslationBaseline.objects.filter(translation=translation).first()
    now = original_paragraphs(original)
    if baseline is None:  # a translation made before translations had baselines: nothing is known current
        return Staleness(True, None, original.version, tuple(staleness.align([], now)), True, True, True)
    rendered = [staleness.Rendered(**entry) for entry in baseline.paragraphs]
    states = tuple(staleness.align(rendered, now))
    headline = baseline.headline != original.headline
    summary = baseline.summary != original.summary
    corrections = baseline.corrections != _public_corrections(original)
    return Staleness(
        outdated=staleness.outdated(states) or headline or summary or corrections,
        source_version=baseline.source_version,
        original_version=original.version,
        paragraphs=states,
        headline_changed=headline,
        summary_changed=summary,
        corrections_changed=corrections,
    )


# What of an original its translations render: changes to anything else (credits, section, status) leave
# them current.
_RENDERED_FIELDS = frozenset({"headline", "summary"})


def follow_original(*, article_id: int, version: int, what: What) -> None:
    """Receiver of story changes: when an original's text changes, its translations learn whether they are
    outdated (exactly, from their baselines), so lists can filter on a column."""
    if not (what.parts or what.corrections or what.fields & _RENDERED_FIELDS) or what.deleted or what.created:
        return  # (a story just created has no translations yet)
    translations = list(
        TranslationBaseline.objects.filter(translation__translation_of_id=article_id).select_related("translation")
    )
    if not translations:
        return
    original = Article.objects.prefetch_related("parts").filter(pk=article_id).first()
    if original is None:
        return
    now = timezone.now()
    for baseline in translations:
        outdated = measure(baseline.translation, original=original, baseline=baseline).outdated
        TranslationBaseline.objects.filter(pk=baseline.pk).update(outdated=outdated, original_changed_at=now)


def language_choices_for(original: Article) -> list[str]:
    """Languages the original can still be translated into."""
    taken = set(original.translations.values_list("language", flat=True)) | {original.language}
    return [code for code in settings.NEWSROOM_LANGUAGES if code not in taken]


@dataclass(frozen=True)
class Row:
    """One row of the side-by-side editor: an original paragraph now (None when removed from the original),
    what the translation rendered of it then, and the translator's text."""

    state: str
    original: staleness.Paragraph | None
    rendered: staleness.Rendered | None
    text: str = ""


def editor_rows(original: Article, translation: Article | None = None, *, by=None) -> list[Row]:
    """The side-by-side editor's rows: for a new translation one per original paragraph; for a translation,
    its alignment with the original now, each row with the translated text it holds. A retracted original is
    refused to `by` unless they may read its withdrawn text (None: the system)."""
    check_not_withheld(original, by)
    now = original_paragraphs(original)
    if translation is None:
        return [Row(staleness.NEW, paragraph, None) for paragraph in now]
    texts = {
        (p.part, p.paragraph): p.text
        for p in staleness.paragraphs_of((part.number, part.body) for part in translation.ordered_parts)
    }
    baseline = TranslationBaseline.objects.filter(translation=translation).first()
    rendered = [staleness.Rendered(**entry) for entry in baseline.paragraphs] if baseline else []
    covered = {(r.part, r.paragraph) for r in rendered}
    rows = []
    for state in staleness.align(rendered, now):
        text = texts.get((state.translated.part, state.translated.paragraph), "") if state.translated else ""
        rows.append(Row(state.state, state.original, state.translated, text))
    # Translated paragraphs the baseline does not know (edited elsewhere) are kept, at the end, as removed.
    rows += [Row(staleness.REMOVED, None, None, text) for place, text in texts.items() if place not in covered]
    return rows


def _structure(rows: Sequence[Row], texts: Sequence[str]) -> tuple[list[NewPart], list[staleness.Rendered]]:
    """The translation's parts in the original's structure now, and what each paragraph renders."""
    groups: list[tuple[int, list[tuple[str, Row]]]] = []
    for row, text in zip(rows, texts, strict=True):
        text = text.replace("\r\n", "\n").strip()
        if not text:
            continue
        part = row.original.part if row.original else (groups[-1][0] if groups else 1)
        if not groups or groups[-1][0] != part:
            groups.append((part, []))
        # One box is one paragraph: blank lines inside it would make several, so they become line breaks.
        groups[-1][1].append(("\n".join(p.strip() for p in text.split("\n\n") if p.strip()), row))
    parts, rendered = [], []
    for number, (_source_part, paragraphs) in enumerate(groups, start=1):
        parts.append(NewPart(body="\n\n".join(text for text, _row in paragraphs)))
        for index, (_text, row) in enumerate(paragraphs):
            then = row.rendered if row.state in (staleness.CURRENT, staleness.CHANGED, staleness.REMOVED) else None
            rendered.append(
                staleness.Rendered(number, index, then.digest, then.text, then.source_part, then.source_paragraph)
                if then
                else staleness.Rendered(number, index)
            )
    return parts, rendered


def save_side_by_side(
    *,
    original: Article | int,
    translation: Article | None,
    language: str,
    headline: str,
    summary: str,
    texts: Sequence[str],
    by=None,
    via: str = AuditEntry.Via.SYSTEM,
    expected_version: int | None = None,
) -> Article:
    """Create or update a translation from the side-by-side editor (`texts`: one per editor row). A new
    translation renders the original as it is now; an edited one keeps what each paragraph rendered, so
    staleness stays true until someone marks it current."""
    from .parts import PartEdits
    from .stories import edit_story

    original = _original_of(original, by=by)
    rows = editor_rows(original, translation, by=by)
    parts, rendered = _structure(rows, texts)
    if not parts:
        raise ServiceError(_("a translation needs the text of at least one paragraph"))
    with transaction.atomic():
        if translation is None:
            translation = create_translation(
                original=original, language=language, headline=headline, summary=summary, parts=parts, by=by, via=via
            )
            rendered = [
                staleness.Rendered(
                    r.part,
                    r.paragraph,
                    row.original.digest,
                    row.original.text,
                    row.original.part,
                    row.original.paragraph,
                )
                for r, row in zip(
                    rendered, [row for row, text in zip(rows, texts, strict=True) if text.strip()], strict=True
                )
            ]
        else:
            count = translation.parts.count()
            edits = PartEdits(
                edited={n: part for n, part in enumerate(parts[:count], start=1)},
                removed=frozenset(range(len(parts) + 1, count + 1)),
                added=tuple(parts[count:]),
            )
            translation = edit_story(
                article=translation,
                changes={"headline": headline, "summary": summary},
                parts=edits,
                by=by,
                via=via,
                expected_version=expected_version,
            )
        # A translation linked to its original by a plain edit (translation_of) has no baseline yet: it gets one.
        baseline = TranslationBaseline.objects.filter(translation=translation).first() or _record(
            translation, original, by=by
        )
        baseline.paragraphs = [asdict(r) for r in rendered]
        baseline.outdated = measure(translation, original=original, baseline=baseline).outdated
        baseline.save(update_fields=["paragraphs", "outdated"])
    return translation
