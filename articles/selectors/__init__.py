"""Reads that are not QuerySet methods; visible_to(user) is the one place that decides what anyone may see."""

from .annotations import (
    annotations_visible_to,
    public_annotations_by_part,
    sees_every_annotation,
    with_annotation_counts,
)
from .related import StoryPage, related_to, story_page
from .revisions import as_story, deleted_stories, history, may_read_history, snapshot, version_of
from .sources import find_sources
from .stories import (
    can_see_unpublished,
    language_versions_of,
    sees_only_public,
    shows_withheld_text,
    visible_to,
    with_language_versions,
)

__all__ = [
    "StoryPage",
    "annotations_visible_to",
    "as_story",
    "can_see_unpublished",
    "deleted_stories",
    "find_sources",
    "history",
    "language_versions_of",
    "may_read_history",
    "public_annotations_by_part",
    "related_to",
    "sees_every_annotation",
    "sees_only_public",
    "shows_withheld_text",
    "snapshot",
    "story_page",
    "version_of",
    "visible_to",
    "with_annotation_counts",
    "with_language_versions",
]
