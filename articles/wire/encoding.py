"""Bytes of wire copy to text: UTF-8 by default, the legacy Arabic code pages on request, a size limit."""

import codecs
import unicodedata

from .model import WireError
from .notes import note

MAX_BYTES = 1_000_000

_ALLOWED = {"utf-8": "UTF-8", "cp1256": "windows-1256", "iso8859-6": "iso-8859-6"}
_LEGACY = ("cp1256", "iso8859-6")


def check_size(data: bytes) -> None:
    """Refuse copy larger than MAX_BYTES, saying how large it is."""
    size = len(data)
    if size <= MAX_BYTES:
        return
    shown = f"{size / 1_000_000:.1f} MB"
    if shown == f"{MAX_BYTES / 1_000_000:.1f} MB":
        shown = f"{size:,} bytes"
    raise WireError(f"the copy is {shown}; the limit is {MAX_BYTES // 1_000_000} MB")


def _codec(encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except (LookupError, TypeError):
        raise WireError(f"unknown encoding '{encoding}': use utf-8, windows-1256 or iso-8859-6") from None
    name = "utf-8" if name == "utf-8-sig" else name
    if name not in _ALLOWED:
        raise WireError(f"unsupported encoding '{encoding}': use utf-8, windows-1256 or iso-8859-6")
    return name


def _arabic_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    arabic = sum(1 for c in letters if unicodedata.name(c, "").startswith("ARABIC"))
    return arabic / len(letters)


def _legacy_hint(data: bytes) -> str:
    """The legacy code page in which these bytes read as Arabic text, or ""."""
    # A trial decode, not charset-normalizer: its statistical guess finds nothing for UTF-8 that goes on
    # in windows-1256, and misranks short copy (docs/wire.md, "Encodings").
    best, best_ratio = "", 0.0
    for codec in _LEGACY:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        ratio = _arabic_ratio(text)
        if ratio > best_ratio:
            best, best_ratio = codec, ratio
    return _ALLOWED[best] if best_ratio >= 0.6 else ""


def decode(data: bytes, encoding: str | None = None) -> tuple[str, list[str]]:
    """Decode wire copy; returns (text, warnings) or raises WireError naming the first bad byte."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise WireError(f"the copy must be bytes to decode, not {type(data).__name__}")
    data = bytes(data)
    codec = _codec(encoding) if encoding else "utf-8"
    warnings: list[str] = []
    skipped = 0
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        skipped = len(codecs.BOM_UTF8)
        data = data[skipped:]
        warnings.append(note("bom-dropped"))
    try:
        return data.decode(codec), warnings
    except UnicodeDecodeError as error:
        message = f"invalid {_ALLOWED[codec]} at byte {error.start + skipped}"
        if codec == "utf-8":
            hint = _legacy_hint(data)
            if hint:
                message += f"; the bytes read as Arabic in {hint}: try --encoding {hint}"
        raise WireError(message) from None
