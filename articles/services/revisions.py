"""Revisions of stories (django-reversion): recorded by every service that writes, restored as new ones."""

import functools
from contextlib import contextmanager

import reversion
from django.db import transaction
from reversion.models import Version

from articles.models import Article, AuditEntry

from .errors import ServiceError


@contextmanager
def recording(comment: str, *, by=None):
    """A revision block: every registered object saved inside is in the revision (nested blocks merge)."""
    with reversion.create_revision(atomic=True):
        if by is not None and getattr(by, "is_authenticated", False):
            reversion.set_user(by)
        reversion.set_comment(comment)
        yield


def recorded(comment: str):
    """Decorate a service: its writes form one revision, attributed to its `by` argument."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with recording(comment, by=kwargs.get("by")):
                return function(*args, **kwargs)

        return wrapper

    return decorate


def include(article: Article) -> None:
    """Put the story in the current revision even when only its parts changed (queryset updates send no signal)."""
    if reversion.is_active():
        reversion.add_to_revision(article)


def history(article: Article):
    """The story's revisions, newest first, with who made them."""
    return Version.objects.get_for_object(article).select_related("revision", "revision__user")


def version_of(article: Article, version_id: int) -> Version:
    version = history(article).filter(pk=version_id).first()
    if version is None:
        raise ServiceError(f"story {article.pk} has no revision {version_id}")
    return version


def snapshot(version: Version) -> dict:
    """What a revision held: the story's fields, its parts in order, its credits, as plain data."""
    related = list(version.revision.version_set.select_related("content_type"))
    parts = sorted(
        (
            v.field_dict
            for v in related
            if v.content_type.model == "part" and v.field_dict["article_id"] == int(version.object_id)
        ),
        key=lambda fields: fields["number"],
    )
    credits = sorted(
        (
            v.field_dict
            for v in related
            if v.content_type.model == "articlesource" and v.field_dict["article_id"] == int(version.object_id)
        ),
        key=lambda fields: fields["position"],
    )
    return {"article": version.field_dict, "parts": parts, "credits": credits}


# What a restore brings back is the story's content; where it stands in the workflow (and the public
# corrections it carries) stays as it is now: a restore never publishes, unpublishes or un-retracts.
_WORKFLOW_FIELDS = ["status", "published_at", "retraction_notice", "retracted_at"]


@transaction.atomic
def restore(*, article: Article, version_id: int, by=None, via: str = AuditEntry.Via.SYSTEM) -> Article:
    """Bring back a revision's text, parts and sources; the restore is itself a new revision and version."""
    from .audit import audit

    version = version_of(article, version_id)
    current = Article.objects.select_for_update().get(pk=article.pk)
    kept = {name: getattr(current, name) for name in _WORKFLOW_FIELDS}
    held = {}
    for related in version.revision.version_set.select_related("content_type"):
        held.setdefault(related.content_type.model, set()).add(int(related.object_id))
    with recording(f"restored revision {version_id}", by=by):
        # Parts and credits the revision did not have go first, so restored numbers and positions are free.
        current.parts.exclude(pk__in=held.get("part", set())).delete()
        current.credits.exclude(pk__in=held.get("articlesource", set())).delete()
        version.revision.revert(delete=False)
        # The revision's own version number is history: the story moves forward, never back.
        Article.objects.filter(pk=article.pk).update(**kept, version=current.version + 1, updated_by=by)
        restored = Article.objects.get(pk=article.pk)
        reversion.add_to_revision(restored)
    audit(article=restored, action=AuditEntry.Action.RESTORE, by=by, via=via, detail={"revision": version_id})
    return restored


def deleted_stories():
    """Stories deleted since, that a revision can bring back, newest first."""
    return Version.objects.get_deleted(Article)


@transaction.atomic
def recover(*, version_id: int, by=None, via: str = AuditEntry.Via.SYSTEM) -> Article:
    """Bring a deleted story back from its last revision (with its id, parts and sources)."""
    from .audit import audit

    version = deleted_stories().filter(pk=version_id).first()
    if version is None:
        raise ServiceError(f"there is no deleted story with revision {version_id}")
    with recording("recovered after deletion", by=by):
        version.revision.revert(delete=False)
        article = Article.objects.get(pk=version.object_id)
        reversion.add_to_revision(article)
    audit(article=article, action=AuditEntry.Action.RECOVER, by=by, via=via, detail={"revision": version_id})
    return article


def as_story(version: Version) -> Article:
    """An unsaved Article holding a revision's fields, parts and credits, for rendering (previews)."""
    from articles.models import ArticleSource, Part

    data = snapshot(version)
    article = Article(**{k: v for k, v in data["article"].items() if k in _ARTICLE_ATTNAMES})
    article._prefetched_objects_cache = {
        "parts": [Part(**fields) for fields in data["parts"]],
        "credits": [ArticleSource(**fields) for fields in data["credits"]],
        "corrections": [],
    }
    return article


_ARTICLE_ATTNAMES = {field.attname for field in Article._meta.concrete_fields}
