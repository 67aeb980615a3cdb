"""What is not story text: markers, take labels, section slugs, site trailers, closing credits.

(Filing times, `NNNN`, desk initials and envelopes, and the reading of a line that holds markers and
stamps together, are in transmission.py.)
"""

import re
import unicodedata
from dataclasses import dataclass

from articles.text import match_key

from .dateline import BIDI, BIDI_CHARS, clean_name
from .dates import GREGORIAN_MONTHS, HIJRI_MONTHS
from .names import is_agency

_SHORT_LINE = 100  # markers, labels and prompts are short lines
_TAIL_WINDOW = 400  # trailers at the end of a paragraph are shorter than this

CONTINUES = "continues"
ENDS = "ends"

# what may wrap a marker word: brackets, slashes, stars, dots, dashes, tatweel, spaces and invisible marks
_WRAP = rf"[\s\u00a0{BIDI}()\[\]/\\*.\-–—ـ]*"
# the marker word itself: only the letters marker words are made of (in any hamza or yeh form, or as
# presentation forms), with tatweel and tashkeel anywhere in it ("انتهـــى"); match_key then decides. The
# letter class keeps match_key off the first word of every other short line.
MARKER_LETTERS = "يیىئتبعسمرهةانلأإآٱـ\u064b-\u065f\u0670\ufb50-\ufdff\ufe70-\ufefe"
_MARKER_AT = re.compile(rf"{_WRAP}(?P<word>[{MARKER_LETTERS}]+)(?![^\W\d_]){_WRAP}")
# compared through match_key: hamza, tatweel and ة folded ("// إنتهـــى //" → "انتهي")
_MARKER_WORDS = {"يتبع": CONTINUES, "تستمر": CONTINUES, "تتمه": CONTINUES, "انتهي": ENDS, "النهايه": ENDS}
_ORDINALS = r"[أا]ول[ىي]|ثاني[ةه]|ثالث[ةه]|رابع[ةه]|خامس[ةه]|سادس[ةه]|سابع[ةه]|ثامن[ةه]|تاسع[ةه]|عاشر[ةه]|\d{1,2}"
_LABEL = rf"[(\[]?\s*[اإأ]ضاف[ةه]\s+(?:{_ORDINALS})(?:\s+و\s*[أا]خير[ةه])?\s*[)\]]?"
_LABEL_AT_END = re.compile(rf"(?:\s*/)?\s*(?P<label>{_LABEL})[\s{BIDI}]*$")
_LABEL_LINE = re.compile(rf"[\s/{BIDI}]*(?P<label>{_LABEL})[\s/{BIDI}]*")
_SECTION = re.compile(r"(?P<slug>[^\W\d_]{2,15})\s*/\s*(?P<rest>\S.*)", re.DOTALL)

_COMMENT_PROMPTS = frozenset(
    match_key(p) for p in ("أفكارك وتعليقاتك", "أضف تعليقك", "أضف تعليقا", "التعليقات", "تعليقات القراء")
)
_LINK_LISTS = tuple(match_key(p) for p in ("مقالات أخرى للكاتب", "مقالات ذات صلة", "مواضيع ذات صلة", "أخبار ذات صلة"))
_APP_NOTICES = tuple(match_key(p) for p in ("يمكنكم استلام إشعارات", "حمل تطبيق"))
_INLINE_TRAILERS = re.compile(r"رابط\s+الخبر\s+ب|للتواصل\s+مع\s+ال?كاتب")
_PUNCTUATION_ONLY = re.compile(r"[\W_]*")
_DISCLAIMER = re.compile(
    r"[\W_]*(?:جميع\s+)?(?:المقالات|الآراء|الاراء)\s+(?:المنشورة\s+)?(?:تمثل|تعبر\s+عن)\s+(?:رأي|آراء|اراء)"
)
_CREDIT_LINES = (
    re.compile(r"[*\s]*(?:ال)?مصدر\s*[:(]\s*(?P<name>[^():]{1,40}?)\s*\)?\s*\.?"),
    re.compile(r"[*\s]*\((?P<name>[^()]{1,30})\)\s*\.?"),
    re.compile(r"[*\s]*نقلا[\u064b]?\s+عن\s+(?P<name>[^.:()]{1,40}?)\s*\.?"),
    re.compile(r"[*\s]*خدمة\s+(?P<name>[«\"“][^«»\"“”]{1,40}[»\"”])\s*\.?"),
)
_CREDIT_AT_END = (
    re.compile(r"\s*المصدر\s*(?:\((?P<name>[^()]{1,30})\)|:\s*(?P<name2>[^.:()]{1,30}?))\s*\.?$"),
    re.compile(r"\s*\((?P<name>[^()]{1,30})\)\s*$"),
)
_PHOTO_NOTE = re.compile(r"\s*\((?:صورة|صور|الصورة)(?:\s+[^()]{0,20})?\)\s*$")
_TAGS = re.compile(r"(?<=[.!؟»\"”])\s*سمات\s+(?P<tags>[^.!؟\"«»“”:،,]{1,200})$")


@dataclass(frozen=True)
class Marker:
    """A continuation or end marker as the copy wrote it."""

    kind: str  # CONTINUES | ENDS
    text: str  # the marker as written, wrapping included: "// يتبع //", "-انتهى-", "ـ انتهى ـ"


def marker_at(line: str, pos: int = 0) -> tuple[Marker, int] | None:
    """A continuation or end marker starting at pos, with where it ends: "(يتبع)", "// انتهى //", "-انتهى-",
    "(انتهى)", "ـ انتهى ـ", "(النهاية)", a bare "يتبع". The line reader (`transmission.read_line`) decides
    what else may share its line."""
    m = _MARKER_AT.match(line, pos)
    if not m:
        return None
    kind = _MARKER_WORDS.get(match_key(m.group("word")))
    if kind is None:
        return None
    return Marker(kind, m.group().strip(f" \t\u00a0{BIDI_CHARS}")), m.end()


def split_label(headline: str) -> tuple[str, str]:
    """(headline without its take label, the label) — "… المعرض  / إضافة أولى" → ("… المعرض", "إضافة أولى")."""
    body = headline.rstrip()
    offset = max(0, len(body) - _SHORT_LINE)  # a label is short: look at the end only
    m = _LABEL_AT_END.search(body, offset)
    if not m or not headline[: m.start()].strip():
        return headline, ""
    return headline[: m.start()].rstrip(), m.group("label").strip("()[] \t")


def label_line(line: str) -> str:
    """The take label when the whole line is one ("إضافة خامسة وأخيرة"), else ""."""
    m = _LABEL_LINE.fullmatch(line) if len(line) <= _SHORT_LINE else None
    return m.group("label").strip("()[] \t") if m else ""


def split_section(headline: str) -> tuple[str, str]:
    """(section, headline) — "عام / افتتاح المعرض" → ("عام", "افتتاح المعرض")."""
    m = _SECTION.match(headline)
    if not m:
        return "", headline
    slug = m.group("slug")
    key = match_key(slug)
    if key in GREGORIAN_MONTHS or key in HIJRI_MONTHS or is_agency(slug):
        return "", headline
    return slug, m.group("rest")


COMMENTS_PROMPT = "comments prompt"
LINK_LIST = "link list"
APP_NOTICE = "app notice"
_KEY_EDGES = " ۔.,:;-–—«»\"'“”"  # what clean_name trims, as it stands in a matching key


def _folding_to() -> tuple[dict[str, str], str]:
    """Which Arabic code points match_key folds to each letter, and which it removes (tashkeel, tatweel,
    bidi and zero-width marks): the letters raw text may spell a matching key with."""
    letters: dict[str, str] = {}
    removed = ""
    for block in ((0x0600, 0x0700), (0x0750, 0x0780), (0x08A0, 0x0900), (0x200B, 0x2070), (0xFEFF, 0xFF00)):
        for code in range(*block):
            char = chr(code)
            key = match_key(char)
            if len(key) == 1:
                letters[key] = letters.get(key, "") + char
            elif not key and not unicodedata.normalize("NFKC", char).isspace():
                removed += char
    return letters, removed


def _spellings(word: str) -> str:
    """A pattern for a matching-key word as raw text may spell it (`مقالات` also `مقـالات`, `مقالاتٌ`)."""
    letters, removed = _FOLDING
    between = f"[{re.escape(removed)}]*"
    return between.join(f"[{re.escape(letters.get(c, c))}]" for c in word)


_FOLDING = _folding_to()
# A line can be site furniture only if its head spells the longest word of one of the phrases; the test is
# one search, so the matching key is computed for those lines alone. Presentation forms and ligatures
# (U+FB50–U+FDFF, U+FE70–U+FEFF) fold to several letters at once: a line holding them is always keyed.
_FURNITURE_WORD = re.compile(
    "|".join(_spellings(max(key.split(), key=len)) for key in sorted({*_COMMENT_PROMPTS, *_LINK_LISTS, *_APP_NOTICES}))
    + "|[\ufb50-\ufdff\ufe70-\ufefe]"
)


def site_furniture(line: str) -> str:
    """What a site's template put on this line: a comments prompt (`أفكارك وتعليقاتك`, the whole line), a
    link-list heading (`مقالات أخرى للكاتب…`) or an app notice (`حمل تطبيق…`) at its head; else "".
    One matching key of the line's head serves the three, so a long line costs no more than a short one,
    and only a line whose head spells one of their words is keyed at all."""
    head = line.lstrip()[:_SHORT_LINE]
    if not _FURNITURE_WORD.search(head):
        return ""
    key = match_key(head)
    if len(line) <= _SHORT_LINE and key.strip(_KEY_EDGES) in _COMMENT_PROMPTS:
        return COMMENTS_PROMPT
    if key.lstrip("*•- ").startswith(_LINK_LISTS):
        return LINK_LIST
    if key.startswith(_APP_NOTICES):
        return APP_NOTICE
    return ""


def cut_inline_trailer(line: str) -> tuple[str, str]:
    """(the line without a trailer that runs to its end, the trailer) — "رابط الخبر بصحيفة…", "للتواصل مع الكاتب…"."""
    m = _INLINE_TRAILERS.search(line)
    if not m:
        return line, ""
    return line[: m.start()].rstrip(), line[m.start() :].strip()


@dataclass(frozen=True)
class TailCut:
    """What came off the end of the story's last paragraph."""

    rest: str  # what is left of the paragraph ("" when the whole line went)
    removed: str
    what: str  # for the warning: "closing credit", "rule line", …
    source: str = ""  # the source a closing credit names


def cut_tail(paragraph: str) -> TailCut | None:
    """One trailer off the end of the last paragraph, or None when it ends in story text."""
    line = paragraph.strip()
    # every trailer is short: read the end of a long paragraph only, so that no pattern meets a huge input
    offset = max(0, len(line) - _TAIL_WINDOW)
    cut = _cut_tail(line[offset:])
    if cut is None or (offset and not cut.rest):
        return None
    return TailCut(line[:offset] + cut.rest, cut.removed, cut.what, cut.source)


def _cut_tail(line: str) -> TailCut | None:
    if _PUNCTUATION_ONLY.fullmatch(line):
        return TailCut("", line, "rule line")
    if _DISCLAIMER.match(line):
        return TailCut("", line, "site disclaimer")
    for pattern in _CREDIT_LINES:
        m = pattern.fullmatch(line)
        if m and len(m.group("name").split()) <= 5:
            name = clean_name(m.group("name"))
            if name and (pattern is not _CREDIT_LINES[1] or is_agency(name)):
                return TailCut("", line, "closing credit", name)
    for pattern in _CREDIT_AT_END:
        m = pattern.search(line)
        if m:
            name = clean_name(m.group("name") or m.groupdict().get("name2") or "")
            if name and (pattern is _CREDIT_AT_END[0] or is_agency(name)):
                return TailCut(line[: m.start()].rstrip(), m.group().strip(), "closing credit", name)
    m = _PHOTO_NOTE.search(line)
    if m:
        return TailCut(line[: m.start()].rstrip(), m.group().strip(), "photo note")
    m = _TAGS.search(line)
    if m and len(m.group("tags").split()) <= 12:
        return TailCut(line[: m.start()].rstrip(), m.group().strip(), "tag list")
    return None
