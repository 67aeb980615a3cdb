"""Who may see which stories: the one rule, used by the pages, the API, the admin and the formats."""

from django.db.models import OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from articles.models import Article, ArticleQuerySet, ArticleSource, Source

# The sum of the versions of the sources a story credits: it rises whenever one of them changes (a source's
# version only rises; a credit added or removed moves the story's own version). Each credit's source is looked
# up by its key: joined, PostgreSQL read the whole (small) sources table for every story it was asked of,
# which the story page's check asks of six stories.
_SOURCE_VERSION = Subquery(Source.objects.filter(pk=OuterRef("source_id")).order_by().values("version")[:1])
SOURCES_VERSION = Coalesce(
    Subquery(
        ArticleSource.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(total=Sum(_SOURCE_VERSION))
        .values("total")[:1]
    ),
    0,
)


def can_see_unpublished(user) -> bool:
    """Editors (and superusers) see every draft, scheduled and embargoed story."""
    return bool(user and user.is_authenticated and user.has_perm("articles.view_unpublished_article"))


def shows_withheld_text(user) -> bool:
    """Whether the user reads what a retraction withholds from readers (the text and the summary)."""
    return can_see_unpublished(user)


def sees_only_public(user) -> bool:
    """Whether this user sees public stories only (readers, moderators): `visible_to` is then exactly
    `Article.objects.public()`, and searches may use the public listing times (services/search)."""
    if can_see_unpublished(user):
        return False
    return not (user is not None and user.is_authenticated and user.has_perm("articles.view_article"))


def visible_to(user, *, now=None) -> ArticleQuerySet:
    """The stories this user may see: readers (and moderators) what is public; reporters and translators that
    and the stories they created or are credited with translating; editors everything. Links to other
    stories (translation_of) are annotated with `visible_original_id`, the original's id only when this user
    may see it too. `now`: the moment readers' visibility is decided at (Article.objects.public)."""
    stories = Article.objects.all()
    if can_see_unpublished(user):
        visible = stories
    elif user is not None and user.is_authenticated and user.has_perm("articles.view_article"):
        own = Q(created_by=user) | Q(pk__in=Article.translated_by.through.objects.filter(user=user).values("article"))
        visible = stories.filter(Q(pk__in=Article.objects.public(now).values("pk")) | own)
    else:
        visible = stories.public(now)
    originals = visible.filter(pk=OuterRef("translation_of"))
    return visible.annotate(visible_original_id=Subquery(originals.values("pk")[:1]))


def may_see(user, pk: int) -> bool:
    """Whether this user may see story `pk` (None: the system, which sees every story). A refusal names another
    story (its id) only to whoever may see it: a story they may not see is not theirs to learn of."""
    return user is None or can_see_unpublished(user) or visible_to(user).filter(pk=pk).exists()


def with_language_versions(stories: ArticleQuerySet, user) -> ArticleQuerySet:
    """Load each story's language versions that this user may see (`visible_translations`, by language), its
    own translation baseline and translators: what every story representation shows, in three queries
    whatever the number of stories or translations."""
    versions = visible_to(user).select_related("baseline").order_by("language", "pk")
    return stories.select_related("baseline", "translation_of").prefetch_related(
        Prefetch("translations", queryset=versions, to_attr="visible_translations"), "translated_by"
    )


def language_versions_of(article: Article, user) -> list[Article]:
    """Every language version of the story's family this user may see, the story itself included, by language
    (one query): the original and all its translations."""
    root = article.translation_of_id or article.pk
    return list(visible_to(user).filter(Q(pk=root) | Q(translation_of_id=root)).order_by("language", "pk"))
