"""What the wire parser hands back: frozen values, no behaviour beyond the continuation key."""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from articles.text import match_key


class WireError(ValueError):
    """Copy that cannot be read as a story; the message says why, in plain English."""


class Role(StrEnum):
    """The part a source played in a story."""

    ORIGINATING_AGENCY = "originating_agency"
    PUBLISHER = "publisher"
    CONTRIBUTOR = "contributor"


ORIGINATING_AGENCY = Role.ORIGINATING_AGENCY.value
PUBLISHER = Role.PUBLISHER.value
CONTRIBUTOR = Role.CONTRIBUTOR.value


@dataclass(frozen=True)
class SourceRef:
    """A news organisation named by the copy, spelled as the copy spells it."""

    name: str
    role: str


@dataclass(frozen=True)
class WireTake:
    """One part of a story: its paragraphs, and whether a continuation marker ended it."""

    body: str
    continues: bool
    label: str = ""

    @property
    def paragraphs(self) -> list[str]:
        return self.body.split("\n\n") if self.body else []


@dataclass(frozen=True)
class WireStory:
    """A story read from one piece of wire copy."""

    headline: str
    section: str
    dateline: str
    dateline_date: datetime.date | None
    place: str
    byline: str
    sources: tuple[SourceRef, ...]
    parts: tuple[WireTake, ...]
    ended: bool
    warnings: tuple[str, ...]

    @property
    def key(self) -> str:
        """The continuation key: a later take with the same key continues this story."""
        return match_key(self.headline)
