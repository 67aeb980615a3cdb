"""Readers' text before it is stored or judged: invisible tricks removed, links counted, word rules matched
across spelling variants. Pure (no Django)."""

import re
import unicodedata

from .text import normalise

# Bidi embeddings, overrides and isolates can reorder what a reader sees; the other format characters hide
# text. ZWNJ (U+200C) stays: Persian and Urdu spelling needs it.
_INVISIBLE = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x200D, 0x200E, 0x200F, *range(0x2060, 0x2065), 0xFEFF]
)
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_WORD = re.compile(r"\w+")


class Unstorable(ValueError):
    """Text no database should hold: a NUL character or an unpaired surrogate."""

    def __init__(self, kind: str, at: int):
        super().__init__(f"{kind} at position {at}")
        self.kind, self.at = kind, at


def clean(text: str) -> str:
    """The text as it will be stored: line endings unified, invisible format characters removed, NFC."""
    if "\x00" in text:
        raise Unstorable("nul", text.index("\x00"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise Unstorable("surrogate", error.start) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    return unicodedata.normalize("NFC", text).strip()


def links_in(text: str) -> int:
    return len(_LINK.findall(text))


def words(text: str) -> list[str]:
    """The text's words, folded (hamza seats, tashkeel, tatweel, ی/ي, ک/ك, ة/ه, digits, case)."""
    return _WORD.findall(normalise(text))


def term_key(term: str) -> tuple[str, ...]:
    """A word rule as the words it matches, folded the same way."""
    return tuple(words(term))


def matches(term: tuple[str, ...], text_words: list[str]) -> bool:
    """Whether the words of a rule occur in a row among the text's words (whole words only)."""
    if not term:
        return False
    size = len(term)
    return any(tuple(text_words[i : i + size]) == term for i in range(len(text_words) - size + 1))
