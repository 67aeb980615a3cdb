"""Annotations: notes on spans of a story's text, anchored by quote and position, re-anchored after edits."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from articles import anchoring
from articles.languages import KNOWN_LANGUAGES
from articles.models import Annotation, Article, Part
from articles.selectors.stories import shows_withheld_text

from . import pagecache
from .changes import What
from .errors import NotAllowed, ServiceError, StaleVersion
from .stories import check_text

EDITABLE = frozenset({"body", "language", "purpose", "audience", "exact", "prefix", "suffix", "start", "end"})


def may_annotate(user, article: Article) -> bool:
    """Editors and translators annotate any story they see; reporters their own drafts. Never a story whose
    text is withheld from the user (a retracted one, to all but those who read withdrawn text): an annotation
    quotes the text it names, by quote or by position, and its answer shows the quote."""
    from .workflow import can_edit

    if user is None:
        return True
    if not user.has_perm("articles.add_annotation"):
        return False
    if article.status == Article.Status.RETRACTED and not shows_withheld_text(user):
        return False
    return user.has_perm("articles.annotate_any_article") or can_edit(user, article)


def _check(values: dict) -> dict:
    if "body" in values:
        values["body"] = (values["body"] or "").replace("\r\n", "\n").strip()
        if not values["body"]:
            raise ServiceError(_("an annotation needs a note"))
        check_text(_("note"), values["body"], limit=20_000)
    for name in ("exact", "prefix", "suffix"):
        if name in values:
            check_text(name, values[name] or "", limit=5_000 if name == "exact" else anchoring.CONTEXT)
    if "language" in values and values["language"] not in KNOWN_LANGUAGES:
        raise ServiceError(_("unknown language “%(code)s” for the note") % {"code": values["language"]})
    if "purpose" in values and values["purpose"] not in Annotation.Purpose.values:
        raise ServiceError(_("unknown purpose “%(purpose)s”") % {"purpose": values["purpose"]})
    if "audience" in values and values["audience"] not in Annotation.Audience.values:
        raise ServiceError(_("the audience is public or internal"))
    return values


def _span(part: Part, *, exact: str = "", prefix: str = "", suffix: str = "", start=None, end=None):
    """The span an editor or a client names: by position (checked against the quote when both are given) or by
    quote alone (the server finds the position)."""
    text = part.body
    if start is not None or end is not None:
        if start is None or end is None or not (0 <= start < end <= len(text)):
            raise ServiceError(
                _("start and end must be offsets into the part's text (0 to %(length)s), start before end")
                % {"length": len(text)}
            )
        if exact and text[start:end] != exact:
            raise ServiceError(_("the text at start–end is not the quote (exact)"))
        return anchoring.span_at(text, start, end)
    try:
        return anchoring.locate(text, exact, prefix, suffix)
    except anchoring.QuoteNotFound as error:
        messages = {
            "empty": _("the quote (exact) is empty"),
            "missing": _("the quoted text (exact) is not in this part"),
            "ambiguous": _("the quoted text occurs %(count)s times in this part: add a prefix or suffix to choose")
            % {"count": error.count},
            "undecided": _("the prefix and suffix do not tell the occurrences of the quote apart"),
        }
        raise ServiceError(messages[error.kind]) from error


def _apply(annotation: Annotation, span: anchoring.Span) -> None:
    annotation.exact, annotation.prefix, annotation.suffix = span.exact, span.prefix, span.suffix
    annotation.start, annotation.end = span.start, span.end


def create_annotation(
    *,
    article: Article,
    part_number: int,
    body: str,
    exact: str = "",
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    end: int | None = None,
    language: str = "ar",
    purpose: str = Annotation.Purpose.DESCRIBING,
    audience: str = Annotation.Audience.PUBLIC,
    by=None,
) -> Annotation:
    """Annotate a span of one part of a story."""
    if not may_annotate(by, article):
        raise NotAllowed(_("you may not annotate story %(id)s") % {"id": article.pk})
    values = _check(
        {"body": body, "language": language, "purpose": purpose, "audience": audience, "exact": exact}
        | {"prefix": prefix, "suffix": suffix}
    )
    part = article.parts.filter(number=part_number).first()
    if part is None:
        raise ServiceError(_("story %(id)s has no part %(number)s") % {"id": article.pk, "number": part_number})
    annotation = Annotation(
        article=article,
        part=part,
        part_ref=part.pk,
        body=values["body"],
        language=language,
        purpose=purpose,
        audience=audience,
        author=by if getattr(by, "is_authenticated", False) else None,
    )
    _apply(annotation, _span(part, exact=exact, prefix=prefix, suffix=suffix, start=start, end=end))
    annotation.save()
    pagecache.story_page_changed(article.pk)
    return annotation


@transaction.atomic
def update_annotation(
    *, annotation: Annotation, changes: dict, part_number: int | None = None, by=None, expected_version=None
) -> Annotation:
    """Change a note, its purpose or audience, or re-attach it to a new span (by quote or position)."""
    current = Annotation.objects.select_for_update(of=("self",)).select_related("article", "part").get(pk=annotation.pk)
    if not may_annotate(by, current.article):
        raise NotAllowed(_("you may not annotate story %(id)s") % {"id": current.article_id})
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(
            _("the annotation changed meanwhile: you edited version %(expected)s, the current version is %(current)s")
            % {"expected": expected_version, "current": current.version},
            current=current.version,
        )
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ServiceError(_("these fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    values = _check(dict(changes))
    for name in ("body", "language", "purpose", "audience"):
        if name in values:
            setattr(current, name, values[name])
    where = {name: values[name] for name in ("exact", "prefix", "suffix", "start", "end") if name in values}
    if where or part_number is not None:
        part = current.article.parts.filter(number=part_number).first() if part_number is not None else current.part
        if part is None:
            raise ServiceError(_("choose a part of the story to attach the annotation to"))
        _apply(current, _span(part, **where))
        current.part, current.part_ref, current.anchoring = part, part.pk, Annotation.Anchoring.ANCHORED
    current.version += 1
    current.save()
    pagecache.story_page_changed(current.article_id)
    return current


def delete_annotation(*, annotation: Annotation, by=None, expected_version=None) -> None:
    with transaction.atomic():
        current = Annotation.objects.select_for_update(of=("self",)).select_related("article").get(pk=annotation.pk)
        if not may_annotate(by, current.article):
            raise NotAllowed(_("you may not annotate story %(id)s") % {"id": current.article_id})
        if expected_version is not None and current.version != expected_version:
            raise StaleVersion(_("the annotation changed meanwhile"), current=current.version)
        current.delete()
        pagecache.story_page_changed(current.article_id)


def follow_parts(*, article_id: int, version: int, what: What) -> None:
    """Receiver of story changes: when a story's parts change, each of its annotations is found again in its
    part's new text (anchored, re-anchored) or said to be lost (orphaned), never silently dropped; a part
    brought back by a restored revision brings its annotations back."""
    if not what.parts or what.deleted or what.created:
        return  # (a story just created has no annotations yet)
    if not Annotation.objects.filter(article_id=article_id).exists():
        return  # most stories have none: their parts need not be read
    threshold = settings.NEWSROOM_ANNOTATION_MAX_ERRORS
    with transaction.atomic():
        parts = {part.pk: part for part in Part.objects.filter(article_id=article_id)}
        for annotation in Annotation.objects.select_for_update().filter(article_id=article_id):
            part = parts.get(annotation.part_ref)
            old = anchoring.Span(
                annotation.exact, annotation.prefix, annotation.suffix, annotation.start, annotation.end
            )
            before = (annotation.part_id, old, annotation.anchoring)
            anchor = anchoring.reanchor(part.body, old, threshold=threshold) if part else None
            if anchor is None or anchor.span is None:
                annotation.part, annotation.anchoring = None, Annotation.Anchoring.ORPHANED
            else:
                annotation.part = part
                _apply(annotation, anchor.span)
                untouched = anchor.span == old and before[2] != Annotation.Anchoring.ORPHANED
                annotation.anchoring = before[2] if untouched else anchor.state  # untouched keeps its state
            after = (annotation.part_id, anchor.span if anchor and anchor.span else old, annotation.anchoring)
            if after != before:
                annotation.version += 1
                annotation.save()
