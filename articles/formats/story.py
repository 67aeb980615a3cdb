"""What of a story a reader is shown: the one place where a retraction withholds the text and the summary."""

from dataclasses import dataclass

from articles.models import Article, Part


@dataclass(frozen=True)
class Shown:
    """The parts of a loaded story a given reader may see."""

    summary: str
    parts: tuple[Part, ...]
    withheld: bool  # a retraction withholds the text and the summary; the notice stands in their place
    original_id: int | None  # the story this one translates, only when the reader may see it too


def withholds(article: Article, *, withheld_text_visible: bool = False) -> bool:
    """Whether a retraction withholds this story's text and summary from its reader."""
    return article.is_retracted and not withheld_text_visible


def shown(article: Article, *, withheld_text_visible: bool = False) -> Shown:
    """What of `article` to show. withheld_text_visible is for editors (selectors.shows_withheld_text); the
    original's id comes from selectors.visible_to's annotation and is hidden when the story was not loaded
    through it, so a link never leaks a story its reader may not see."""
    withheld = withholds(article, withheld_text_visible=withheld_text_visible)
    return Shown(
        summary="" if withheld else article.summary,
        parts=() if withheld else tuple(article.ordered_parts),
        withheld=withheld,
        original_id=getattr(article, "visible_original_id", None),
    )
