"""Who may see which stories: the one rule, used by the pages, the API, the admin and the formats."""

from django.db.models import OuterRef, Q, Subquery

from articles.models import Article, ArticleQuerySet


def can_see_unpublished(user) -> bool:
    """Editors (and superusers) see every draft, scheduled and embargoed story."""
    return bool(user and user.is_authenticated and user.has_perm("articles.view_unpublished_article"))


def shows_withheld_text(user) -> bool:
    """Whether the user reads what a retraction withholds from readers (the text and the summary)."""
    return can_see_unpublished(user)


def visible_to(user) -> ArticleQuerySet:
    """The stories this user may see: readers (and moderators) what is public; reporters and translators that
    and the stories they created; editors everything. Links to other stories (translation_of) are annotated
    with `visible_original_id`, the original's id only when this user may see it too."""
    stories = Article.objects.all()
    if can_see_unpublished(user):
        visible = stories
    elif user is not None and user.is_authenticated and user.has_perm("articles.view_article"):
        visible = stories.filter(Q(pk__in=Article.objects.public().values("pk")) | Q(created_by=user))
    else:
        visible = stories.public()
    originals = visible.filter(pk=OuterRef("translation_of"))
    return visible.annotate(visible_original_id=Subquery(originals.values("pk")[:1]))
