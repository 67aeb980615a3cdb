"""The only code that changes stories: admin, API and commands are thin adapters over these functions."""

from .errors import (
    IngestError,
    InvalidTransition,
    NotAllowed,
    ServiceError,
    StaleVersion,
    StoryGone,
    StoryNotFound,
)

__all__ = [
    "IngestError",
    "InvalidTransition",
    "NotAllowed",
    "ServiceError",
    "StaleVersion",
    "StoryGone",
    "StoryNotFound",
]
