"""Reading the revision history of stories (django-reversion): who may, lists, snapshots, deleted stories."""

from django.utils.translation import gettext as _
from reversion.models import Version

from articles.models import Article, ArticleSource, Part, Section, Source, SourceRole
from articles.services.errors import ServiceError

from .stories import can_see_unpublished, shows_withheld_text


def may_read_history(user, article: Article) -> bool:
    """Whether this user may read the story's revisions (list, one revision, compare, preview, restore's
    confirmation): editors any story; reporters and translators their own (created, or credited with
    translating); moderators and readers none. A revision holds the text as it was written, so a retracted
    story's history stays closed to anyone its withdrawn text is withheld from (docs/permissions.md). The door
    has checked that the user sees the story at all (visible_to)."""
    if user is None or not user.is_authenticated:
        return False
    if can_see_unpublished(user):
        return True
    if article.status == Article.Status.RETRACTED and not shows_withheld_text(user):
        return False
    if not user.has_perm("articles.view_article"):
        return False
    return article.created_by_id == user.pk or article.translated_by.filter(pk=user.pk).exists()


def history(article: Article):
    """The story's revisions, newest first, with who made them."""
    return Version.objects.get_for_object(article).select_related("revision", "revision__user")


def version_of(article: Article, version_id: int) -> Version:
    version = history(article).filter(pk=version_id).first()
    if version is None:
        raise ServiceError(_("story %(id)s has no revision %(revision)s") % {"id": article.pk, "revision": version_id})
    return version


def snapshot(version: Version) -> dict:
    """What a revision held: the story's fields, its parts in order, its credits, as plain data."""
    related = list(version.revision.version_set.select_related("content_type"))
    story_id = int(version.object_id)

    def rows(model: str, order: str) -> list[dict]:
        found = (v.field_dict for v in related if v.content_type.model == model)
        return sorted((f for f in found if f["article_id"] == story_id), key=lambda fields: fields[order])

    article, credits = version.field_dict, rows("articlesource", "position")
    return {
        "article": article,
        "parts": rows("part", "number"),
        "credits": credits,
        # Named as they are now (a revision holds their ids), so that a diff can say what moved: a section or
        # source deleted since is named by its id.
        "section_name": _names(Section, [article.get("section_id")]).get(article.get("section_id"), ""),
        "credit_names": _credit_names(credits),
    }


def _names(model, ids) -> dict:
    ids = [pk for pk in ids if pk is not None]
    named = dict(model.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    return {pk: named.get(pk, f"#{pk}") for pk in ids}


def _credit_names(credits: list[dict]) -> list[str]:
    names = _names(Source, [credit.get("source_id") for credit in credits])
    roles = dict(SourceRole.choices)
    return [
        f"{names.get(credit.get('source_id'), '')} ({roles.get(credit.get('role'), credit.get('role'))})"
        for credit in credits
    ]


def deleted_stories():
    """Stories deleted since, that a revision can bring back, newest first."""
    return Version.objects.get_deleted(Article)


_ARTICLE_ATTNAMES = {field.attname for field in Article._meta.concrete_fields}


def as_story(version: Version) -> Article:
    """An unsaved Article holding a revision's fields, parts and credits, for rendering (previews)."""
    data = snapshot(version)
    article = Article(**{k: v for k, v in data["article"].items() if k in _ARTICLE_ATTNAMES})
    article._prefetched_objects_cache = {
        "parts": [Part(**fields) for fields in data["parts"]],
        "credits": [ArticleSource(**fields) for fields in data["credits"]],
        "corrections": [],
    }
    return article
