"""Pure parser of wire copy: text -> WireStory (no Django imports)."""

from .dateline import Dateline, read_dateline
from .encoding import MAX_BYTES, check_size, decode
from .model import (
    CONTRIBUTOR,
    ORIGINATING_AGENCY,
    PUBLISHER,
    Role,
    SourceRef,
    WireError,
    WireStory,
    WireTake,
)
from .parser import parse

__all__ = [
    "CONTRIBUTOR",
    "MAX_BYTES",
    "ORIGINATING_AGENCY",
    "PUBLISHER",
    "Dateline",
    "Role",
    "SourceRef",
    "WireError",
    "WireStory",
    "WireTake",
    "check_size",
    "decode",
    "parse",
    "read_dateline",
]
