"""Bringing back what a revision held: restoring a story's content, recovering a deleted story."""

import reversion
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils.translation import gettext as _
from reversion.models import Version

from articles.models import Article, AuditEntry, Correction, Section, Source
from articles.selectors.revisions import deleted_stories, version_of

from .changes import story_change
from .errors import NotAllowed, ServiceError
from .stories import check_translation, original_for

# What a restore brings back is the story's content; where it stands in the workflow (and the public
# corrections it carries) stays as it is now: a restore never publishes, unpublishes or un-retracts.
_KEPT = {"id", "status", "published_at", "retraction_notice", "retracted_at", "version"}
_KEPT |= {"created_at", "created_by_id", "updated_at", "updated_by_id"}
# Parts and credits move out of the way before the revision's numbers and positions come back.
_ASIDE = {"part": ("number", 1_000_000), "articlesource": ("position", 10_000)}


def restore(
    *, article: Article | int, version_id: int, by=None, via: str = AuditEntry.Via.SYSTEM, expected_version=None
) -> Article:
    """Bring back a revision's text, parts and sources as one new change (the version moves forward)."""
    with story_change(
        article, by=by, via=via, expected_version=expected_version, comment=f"restored revision {version_id}"
    ) as change:
        if by is not None and not by.has_perm("articles.change_article"):
            raise NotAllowed(_("you may not restore revisions"))
        change.require_edit()
        current = change.article
        version = version_of(current, version_id)
        held: dict[str, list[Version]] = {}
        for related in version.revision.version_set.select_related("content_type"):
            held.setdefault(related.content_type.model, []).append(related)
        credits = [v for v in held.get("articlesource", []) if v.field_dict.get("article_id") == current.pk]
        _check_sources(credits, version_id)
        for model, manager in (("part", current.parts), ("articlesource", current.credits)):
            keep = [int(v.object_id) for v in held.get(model, []) if v.field_dict.get("article_id") == current.pk]
            before = manager.count()
            manager.exclude(pk__in=keep).delete()
            name, aside = _ASIDE[model]
            manager.update(**{name: F(name) + aside})
            for stored in held.get(model, []):
                if stored.field_dict.get("article_id") == current.pk:
                    stored.revert()
            if model == "part":
                change.parts_changed(*current.parts.values_list("number", flat=True), *range(1, before + 1))
            else:
                change.credits_changed()
        held_fields = version.field_dict
        for attname in _ATTNAMES - _KEPT:
            if attname in held_fields:
                setattr(current, attname, held_fields[attname])
        _check_links(current, version_id, by=by)
        change.record(AuditEntry.Action.RESTORE, {"revision": version_id})
    return change.article


_ATTNAMES = {field.attname for field in Article._meta.concrete_fields}


# A revision names its section, its original and its sources by id; any of them may have been deleted since, or
# the family of language versions changed. What a revision brings back passes the checks an edit passes, and a
# revision that no longer can is refused (a ServiceError: 400 in the API, a message in the admin) rather than
# left to the database's constraints at commit. Refused, not quietly changed: the editor chooses another
# revision or edits the story.


def _check_sources(credits: list[Version], version_id: int) -> None:
    wanted = {stored.field_dict.get("source_id") for stored in credits}
    if len(wanted) > Source.objects.filter(pk__in=wanted).count():
        raise ServiceError(
            _("revision %(revision)s credits a source deleted since: it cannot be brought back")
            % {"revision": version_id}
        )


def _check_links(article: Article, version_id: int, *, by=None) -> None:
    if article.section_id is not None and not Section.objects.filter(pk=article.section_id).exists():
        raise ServiceError(
            _("revision %(revision)s files the story under a section deleted since: it cannot be brought back")
            % {"revision": version_id}
        )
    if article.translation_of_id is not None:
        try:
            article.translation_of = original_for(article.translation_of_id, of=article)
        except ServiceError as error:
            raise ServiceError(
                _("revision %(revision)s cannot be brought back: %(reason)s")
                % {"revision": version_id, "reason": error.message}
            ) from error
    try:
        check_translation(article, by=by)
    except ServiceError as error:
        raise ServiceError(
            _("revision %(revision)s cannot be brought back: %(reason)s")
            % {"revision": version_id, "reason": error.message}
        ) from error


def recover(*, version_id: int, by=None, via: str = AuditEntry.Via.SYSTEM) -> Article:
    """Bring a deleted story back from its last revision (same id, parts and sources), as a draft: a recovered
    story is read again before anyone publishes it. Needs the editor's right to delete stories."""
    if by is not None and not by.has_perm("articles.delete_article"):
        raise NotAllowed(_("only editors may recover deleted stories"))
    version = deleted_stories().filter(pk=version_id).first()
    if version is None:
        raise ServiceError(_("there is no deleted story with revision %(id)s") % {"id": version_id})
    with story_change(None, by=by, via=via, comment="recovered after deletion") as change:
        related = version.revision.version_set.select_related("content_type")
        _check_sources([v for v in related if v.content_type.model == "articlesource"], version_id)
        held = version.field_dict
        links = ("id", "language", "section_id", "translation_of_id")
        # Before any row is written.
        _check_links(Article(**{name: held.get(name) for name in links}), version_id, by=by)
        with reversion.create_revision(manage_manually=True):
            version.revision.revert(delete=False)  # rows only; the change records the revision
        article = Article.objects.get(pk=version.object_id)
        _forget_deleted_accounts(article.pk)
        Article.objects.filter(pk=article.pk).update(
            status=Article.Status.DRAFT,
            published_at=None,
            retraction_notice="",
            retracted_at=None,
            version=article.version + 1,  # never the same version (and ETag) for different contents
        )
        change.adopt(Article.objects.get(pk=article.pk))
        change.record(AuditEntry.Action.RECOVER, {"revision": version_id})
    return change.article


def _forget_deleted_accounts(article_id: int) -> None:
    """A recovered story's rows name people by id, and an account deleted since is named by none: what deleting
    the account did to every story then (its fields SET_NULL, its credits as translator gone) is done here, in
    the recovery's transaction, before the database checks the keys at commit."""
    accounts = get_user_model().objects.values("pk")
    for name in ("created_by", "updated_by"):
        gone = Article.objects.filter(pk=article_id, **{f"{name}__isnull": False}).exclude(**{f"{name}__in": accounts})
        gone.update(**{name: None})
    Correction.objects.filter(article_id=article_id, created_by__isnull=False).exclude(created_by__in=accounts).update(
        created_by=None
    )
    Article.translated_by.through.objects.filter(article_id=article_id).exclude(user__in=accounts).delete()
