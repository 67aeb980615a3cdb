"""Bringing back what a revision held: restoring a story's content, recovering a deleted story."""

import reversion
from django.db.models import F
from django.utils.translation import gettext as _
from reversion.models import Version

from articles.models import Article, AuditEntry
from articles.selectors.revisions import deleted_stories, version_of

from .changes import story_change
from .errors import NotAllowed, ServiceError

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
        change.record(AuditEntry.Action.RESTORE, {"revision": version_id})
    return change.article


_ATTNAMES = {field.attname for field in Article._meta.concrete_fields}


def recover(*, version_id: int, by=None, via: str = AuditEntry.Via.SYSTEM) -> Article:
    """Bring a deleted story back from its last revision (same id, parts and sources), as a draft: a recovered
    story is read again before anyone publishes it. Needs the editor's right to delete stories."""
    if by is not None and not by.has_perm("articles.delete_article"):
        raise NotAllowed(_("only editors may recover deleted stories"))
    version = deleted_stories().filter(pk=version_id).first()
    if version is None:
        raise ServiceError(_("there is no deleted story with revision %(id)s") % {"id": version_id})
    with story_change(None, by=by, via=via, comment="recovered after deletion") as change:
        with reversion.create_revision(manage_manually=True):
            version.revision.revert(delete=False)  # rows only; the change records the revision
        article = Article.objects.get(pk=version.object_id)
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
