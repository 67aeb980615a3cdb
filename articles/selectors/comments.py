"""The comments readers see under a story (approved ones, threaded one level, in one query), and the moderators'
queue: which comments it lists by where their story stands, and what of the story a moderator is shown."""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, CharField, Exists, F, OuterRef, QuerySet, Value, When

from articles.models import Article, Comment
from newsroom.prepared import NUMBER, Prepared

from .stories import can_see_unpublished, sees_only_public, visible_to


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


# Compiled once per process (newsroom.prepared): a story page is read far more often than it changes.
APPROVED = Prepared(
    lambda pk: Comment.objects.filter(article_id=pk, status=Comment.Status.APPROVED).order_by("created_at", "pk"),
    pk=NUMBER,
)


def threads(article: Article) -> tuple[list[Thread], list[Thread]]:
    """(featured, the rest): approved comments oldest first, each with its approved replies under it."""
    if article.pk is None:  # a preview of a story not saved yet
        return [], []
    approved = APPROVED.rows(pk=article.pk)
    by_id = {comment.pk: Thread(comment) for comment in approved if comment.parent_id is None}
    for comment in approved:
        if comment.parent_id is not None and comment.parent_id in by_id:
            by_id[comment.parent_id].replies.append(comment)
    ordered = list(by_id.values())
    return [t for t in ordered if t.comment.featured], [t for t in ordered if not t.comment.featured]


# Where a comment's story stands for readers (the queue's `story_state`), and the queue's choices of stories.
PUBLIC, RETRACTED, UNPUBLISHED = "public", "retracted", "unpublished"
ON_PUBLIC, ON_UNPUBLISHED, ON_ANY = "public", "unpublished", "all"
STORY_CHOICES = (ON_PUBLIC, ON_UNPUBLISHED, ON_ANY)


def moderation_queue(comments: QuerySet, *, by, story: str = ON_PUBLIC, now=None) -> QuerySet:
    """The moderators' queue. Each comment is annotated with `story_state` (public, retracted, or unpublished:
    taken back to a draft or scheduled again, so readers see neither it nor its comments), `story_seen` (whether
    `by` may see the story, selectors.visible_to) and `seen_headline` (its headline when they may, "" when not:
    what the queue shows and searches). `story`: comments on public stories (the default; a retracted story's
    comments included, since its page still shows them), on unpublished ones, or all."""
    public = Exists(Article.objects.public(now).filter(pk=OuterRef("article_id")))
    comments = comments.annotate(story_public=public)
    if can_see_unpublished(by):
        seen = Value(True, output_field=BooleanField())
    elif sees_only_public(by):  # moderators: they see exactly the public stories
        seen = F("story_public")
    else:
        seen = Exists(visible_to(by, now=now).filter(pk=OuterRef("article_id")))
    comments = comments.annotate(
        story_seen=seen,
        story_state=Case(
            When(story_public=False, then=Value(UNPUBLISHED)),
            When(article__status=Article.Status.RETRACTED, then=Value(RETRACTED)),
            default=Value(PUBLIC),
            output_field=CharField(),
        ),
    ).annotate(
        seen_headline=Case(
            When(story_seen=True, then=F("article__headline")), default=Value(""), output_field=CharField()
        )
    )
    return on_stories(comments, story)


def on_stories(comments: QuerySet, story: str) -> QuerySet:
    """The comments of a moderation_queue() on public stories, on unpublished ones, or all (`story`)."""
    if story == ON_PUBLIC:
        return comments.filter(story_public=True)
    if story == ON_UNPUBLISHED:
        return comments.filter(story_public=False)
    return comments


def awaiting_moderation() -> int:
    """How many comments on public stories wait for a moderator: the default queue's pending ones."""
    public = Article.objects.public().filter(pk=OuterRef("article_id"))
    return Comment.objects.filter(Exists(public), status=Comment.Status.PENDING).count()
