"""What is not story text: markers, filing times, take labels, section slugs, site trailers, closing credits."""

import re
from dataclasses import dataclass

from articles.text import match_key

from .dateline import BIDI, BIDI_CHARS, clean_name
from .dates import GREGORIAN_MONTHS, HIJRI_MONTHS
from .names import is_agency

_SHORT_LINE = 100  # markers, labels, filing times and prompts are short lines
_TAIL_WINDOW = 400  # trailers at the end of a paragraph are shorter than this

CONTINUES = "continues"
ENDS = "ends"

_WRAP = r"[\s()\[\]/\\*.\-–—]*"
_TIME = r"\d{1,2}\s*:\s*\d{2}\s*ت\s*\.?\s*[مغ]"  # SPA's filing time: "19:22 ت م" (Mecca time)
# matched against match_key(line): hamza, tatweel and ة already folded ("// إنتهـــى //" → "// انتهي //")
_MARKER = re.compile(rf"^{_WRAP}(?P<word>يتبع|تستمر|تتمه|انتهي|النهايه){_WRAP}(?P<time>{_TIME})?\s*$")
_MARKER_KIND = {"يتبع": CONTINUES, "تستمر": CONTINUES, "تتمه": CONTINUES, "انتهي": ENDS, "النهايه": ENDS}
_FILING_TIME = re.compile(_TIME)
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
    text: str  # the marker as written
    filing_time: str  # a filing time sharing its line, "" when none


def marker(line: str) -> Marker | None:
    """A continuation or end marker standing on its own line (perhaps with a filing time)."""
    if len(line) > _SHORT_LINE:
        return None
    m = _MARKER.match(match_key(line))
    if not m:
        return None
    time = _FILING_TIME.search(line) if m.group("time") else None
    text = (line[: time.start()] + line[time.end() :] if time else line).strip()
    return Marker(_MARKER_KIND[m.group("word")], text, time.group() if time else "")


def is_filing_time(line: str) -> bool:
    """SPA's filing time on a line of its own: "19:22 ت م"."""
    if len(line) > _SHORT_LINE:
        return False
    return _FILING_TIME.fullmatch(line.strip(f" \t\u00a0{BIDI_CHARS}")) is not None


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


def is_comment_prompt(line: str) -> bool:
    if len(line) > _SHORT_LINE:
        return False
    return match_key(clean_name(line)) in _COMMENT_PROMPTS


def is_link_list(line: str) -> bool:
    key = match_key(line.lstrip("*•- \t"))
    return key.startswith(_LINK_LISTS)


def is_app_notice(line: str) -> bool:
    return match_key(line).startswith(_APP_NOTICES)


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
