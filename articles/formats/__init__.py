"""Pure mappings from loaded stories to documents (ninjs today; W3C annotations, JSON-LD and feeds next),
shared by every door; what a reader may see of a story is decided once, in story.shown()."""

from .story import Shown, shown, withholds

__all__ = ["Shown", "shown", "withholds"]
