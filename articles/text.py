"""Arabic/Urdu normalisation for search and matching; never applied to text that readers see."""

import re
import unicodedata

__all__ = ["match_key", "normalise", "search_text", "to_ascii_digits"]


def _decimal_digits() -> dict[int, str]:
    """Every Unicode decimal digit (category Nd) mapped to its ASCII digit."""
    table = {}
    for code in range(0x80, 0x20000):  # no decimal digit lies beyond the first two planes
        char = chr(code)
        value = unicodedata.decimal(char, None)
        if value is not None:
            table[code] = str(value)
    return table


_DIGITS: dict[int, str] = _decimal_digits()

_REMOVED = (
    *range(0x064B, 0x0653),  # tashkeel: fathatan … sukun
    *range(0x0653, 0x0656),  # combining maddah, hamza above, hamza below (كتابهٔ → كتابه)
    0x0670,  # superscript alef
    *range(0x0610, 0x061B),  # Quranic marks above/below
    *range(0x06D6, 0x06EE),  # Quranic annotation signs
    0x0640,  # tatweel
    *(0x200E, 0x200F, 0x061C),  # LRM, RLM, Arabic letter mark
    *range(0x202A, 0x202F),  # LRE, RLE, PDF, LRO, RLO
    *range(0x2066, 0x206A),  # LRI, RLI, FSI, PDI
    0x200D,  # zero-width joiner
    *(0x200B, 0xFEFF),  # zero-width space, BOM used as a zero-width no-break space
)

_LETTERS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ی": "ي",  # Persian/Urdu yeh
    "ے": "ي",  # Urdu yeh barree
    "ک": "ك",  # keheh
    "ہ": "ه",  # heh goal
    "ۀ": "ه",  # heh with yeh above
    "ە": "ه",  # ae
    "ھ": "ه",  # heh doachashmee
    "ۃ": "ه",  # teh marbuta goal: → ة, and every ة → ه (so the table is idempotent)
    "ؤ": "و",
    "ئ": "ي",
    "\u200c": " ",  # zero-width non-joiner separates words
    "،": " ",
    "؛": " ",
    "؟": " ",
    "۔": " ",  # Urdu full stop
}

_TABLE: dict[int, str | None] = {
    **dict.fromkeys(_REMOVED),
    **{ord(k): v for k, v in _LETTERS.items()},
    **_DIGITS,
}

_WHITESPACE = re.compile(r"\s+")


def _pass(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_TABLE).casefold()


def normalise(text: str) -> str:
    """Fold the spellings of one Arabic/Urdu word onto one form; whitespace is left as it is."""
    result = _pass(text)
    # casefold() or a removed mark can leave a string that NFKC would still change
    if not unicodedata.is_normalized("NFKC", result):
        result = _pass(result)
    return result


def match_key(text: str) -> str:
    """normalise() with whitespace runs collapsed to one space and the ends trimmed."""
    return _WHITESPACE.sub(" ", normalise(text)).strip()


def to_ascii_digits(text: str) -> str:
    """Replace every Unicode decimal digit (Arabic-Indic, Persian, …) with its ASCII digit."""
    return text.translate(_DIGITS)


_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)


# Search also unifies the hamza seats (مسؤول, مسئول, مسءول are one word to a reader searching); matching keys
# keep DESIGN's ؤ → و and ئ → ي.
_HAMZA_SEATS = str.maketrans({"ؤ": "ء", "ئ": "ء"})


# The conjunction or preposition glued before the article (و ف ب ك + ال, and لل): PostgreSQL's Arabic
# stemmer removes ال but not these, so «والتصعيد» would never meet «التصعيد». As Lucene's ArabicStemmer
# does, they become ال when at least three letters remain (so «والدة» stays a word of its own).
_GLUED_ARTICLE = re.compile(r"\b(?:[وفبك]ال|لل)(?=\w{3,})")


def search_text(text: str) -> str:
    """What the search index and search queries see: normalise() with the hamza seats unified, the glued
    conjunction before the article cut, and every punctuation mark a space (so a database whose C locale
    glues ، ؛ ؟ to words cannot), whitespace collapsed."""
    folded = _PUNCTUATION.sub(" ", normalise(text.translate(_HAMZA_SEATS)))
    return _WHITESPACE.sub(" ", _GLUED_ARTICLE.sub("ال", folded)).strip()
