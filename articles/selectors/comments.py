"""The comments readers see under a story: approved ones, threaded one level, in one query."""

from dataclasses import dataclass, field

from articles.models import Article, Comment
from newsroom.prepared import NUMBER, Prepared


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
