"""Domain exceptions; each door (admin, API, command) maps them to its own kind of error."""


class ServiceError(Exception):
    """A request the domain refuses, with a message fit to show the person who made it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class IngestError(ServiceError):
    """Wire copy that cannot become a story: empty, no headline, undecodable, too large."""


class StoryNotFound(IngestError):
    """Copy addressed to a story (append_to) that does not exist."""


class StoryGone(ServiceError):
    """A change to a story that no longer exists (deleted meanwhile)."""


class StaleVersion(ServiceError):
    """A write based on a version of the story (or source) that is no longer the current one."""

    def __init__(self, message: str, *, current: int):
        super().__init__(message)
        self.current = current


class Conflict(ServiceError):
    """A request the story's present state rules out (409 in the API)."""


class TranslationExists(Conflict):
    """The original has a translation in this language already."""

    def __init__(self, message: str, *, existing: int | None):
        super().__init__(message)
        self.existing = existing


class InvalidTransition(Conflict):
    """A workflow step the story's state does not allow (publishing a retracted story, …)."""


class NotAllowed(ServiceError):
    """The user lacks the permission for this action on this story."""


def check_version(current, expected: int | None, what: str) -> None:
    """Refuse a write based on a version of a source that is no longer the current one (stories: changes.py)."""
    from django.utils.translation import gettext as _

    if expected is not None and current.version != expected:
        raise StaleVersion(
            _("the source changed meanwhile: you edited version %(expected)s, the current version is %(current)s")
            % {"expected": expected, "current": current.version},
            current=current.version,
        )


def fitting_key(key: str, model, field: str, message: str, **named) -> str:
    """`key` when it fits `model`'s column `field`, else a ServiceError saying `message` (its placeholders: the
    key's `length`, the column's `limit`, and `named`). Matching keys are folded (NFKC, case folding), which may
    lengthen text: one ligature ﷺ is eighteen letters, ß is ss. Refused, never cut, never a database error."""
    limit = model._meta.get_field(field).max_length
    if len(key) > limit:
        raise ServiceError(message % {"length": len(key), "limit": limit, **named})
    return key
