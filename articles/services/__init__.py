"""The only code that changes stories: admin, API and commands are thin adapters over these functions."""

from .errors import (
    Conflict,
    IngestError,
    InvalidTransition,
    NotAllowed,
    ServiceError,
    StaleVersion,
    StoryGone,
    StoryNotFound,
    TranslationExists,
)

__all__ = [
    "Conflict",
    "IngestError",
    "InvalidTransition",
    "NotAllowed",
    "ServiceError",
    "StaleVersion",
    "StoryGone",
    "StoryNotFound",
    "TranslationExists",
]
