"""The only code that changes stories: admin, API and commands are thin adapters over these functions."""

from .errors import IngestError, ServiceError, StaleVersion, StoryNotFound

__all__ = ["IngestError", "ServiceError", "StaleVersion", "StoryNotFound"]
