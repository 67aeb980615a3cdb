"""The comments readers see under a story: approved ones, threaded one level, in one query."""

from dataclasses import dataclass, field

from articles.models import Article, Comment


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def threads(article: Article) -> tuple[list[Thread], list[Thread]]:
    """(featured, the rest): approved comments oldest first, each with its approved replies under it."""
    approved = list(
        Comment.objects.filter(article=article, status=Comment.Status.APPROVED).order_by("created_at", "pk")
    )
    by_id = {comment.pk: Thread(comment) for comment in approved if comment.parent_id is None}
    for comment in approved:
        if comment.parent_id is not None and comment.parent_id in by_id:
            by_id[comment.parent_id].replies.append(comment)
    ordered = list(by_id.values())
    return [t for t in ordered if t.comment.featured], [t for t in ordered if not t.comment.featured]
