"""Which annotations a user may see: readers the public, anchored ones of public stories; the desk all, except
that annotations quote a story's text, so a retracted story's stay with those who read its withdrawn text."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from articles.models import Annotation, Article
from newsroom.prepared import NUMBER, Prepared

from .stories import shows_withheld_text, visible_to


def sees_every_annotation(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("articles.view_annotation"))


def _for_readers() -> Q:
    # Public and anchored; never on a retracted story, whose text (which annotations quote) is withheld.
    return (
        Q(audience=Annotation.Audience.PUBLIC)
        & ~Q(anchoring=Annotation.Anchoring.ORPHANED)
        & ~Q(article__status=Article.Status.RETRACTED)
    )


def annotations_visible_to(user, article: Article | None = None) -> QuerySet:
    """The annotations this user may see (of one story, when given), its story visible to them too."""
    annotations = Annotation.objects.filter(article__in=visible_to(user).values("pk"))
    if not sees_every_annotation(user):
        annotations = annotations.filter(_for_readers())
    elif not shows_withheld_text(user):
        annotations = annotations.exclude(article__status=Article.Status.RETRACTED)
    if article is not None:
        annotations = annotations.filter(article=article)
    return annotations.select_related("author", "part").order_by("part_ref", "start", "pk")


def with_annotation_counts(stories, user):
    """Annotate `annotation_count`: the story's annotations this user may see (one subquery)."""
    visible = Annotation.objects.filter(article=OuterRef("pk"))
    if not sees_every_annotation(user):
        visible = visible.filter(_for_readers())
    elif not shows_withheld_text(user):
        visible = visible.exclude(article__status=Article.Status.RETRACTED)
    counted = visible.order_by().values("article").annotate(n=Count("pk")).values("n")[:1]
    return stories.annotate(annotation_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0))


# Compiled once per process (newsroom.prepared).
PUBLIC_ON_STORY = Prepared(
    lambda pk: Annotation.objects.filter(article_id=pk).filter(_for_readers()).order_by("start", "pk"), pk=NUMBER
)


def public_annotations_by_part(article: Article) -> dict[int, list[Annotation]]:
    """The annotations readers see on a story's page, by part id, in reading order."""
    found: dict[int, list[Annotation]] = {}
    for annotation in PUBLIC_ON_STORY.rows(pk=article.pk):
        found.setdefault(annotation.part_id, []).append(annotation)
    return found
