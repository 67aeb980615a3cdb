"""Wire copy in, a WireStory out: headline, dateline, parts, sources, and a warning for every removal."""

import dataclasses
import datetime
import html
import re

from articles.text import match_key

from .dateline import BIDI_CHARS, Dateline, read_dateline
from .markers import (
    APP_NOTICE,
    COMMENTS_PROMPT,
    CONTINUES,
    ENDS,
    LINK_LIST,
    Marker,
    cut_inline_trailer,
    cut_tail,
    label_line,
    site_furniture,
    split_label,
    split_section,
)
from .model import ORIGINATING_AGENCY, SourceRef, WireError, WireStory, WireTake
from .names import name_key
from .notes import note
from .resolve import Filing, complete_date, day_of_stamp, reference_date
from .transmission import Envelope, Stamp, read_envelope, read_line

_CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SURROGATE = re.compile("[\ud800-\udfff]")
_INVISIBLE = f" \t\u00a0\u200c\u200d{BIDI_CHARS}"


def _quote(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_blank(line: str) -> bool:
    return not line.strip().strip(_INVISIBLE).strip()


def _clean_characters(text: str, warnings: list[str]) -> str:
    """Decode HTML character references; drop what no database column can hold (NUL, lone surrogates)."""
    decoded = 0

    def unescape(m: re.Match[str]) -> str:
        nonlocal decoded
        value = html.unescape(m.group())
        if value != m.group():
            decoded += 1
        return value

    text = _CHARACTER_REFERENCE.sub(unescape, text)
    if decoded:
        warnings.append(note("references-decoded", count=decoded))
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", "")
        warnings.append(note("nul-removed", count=nuls))
    text, surrogates = _SURROGATE.subn("\ufffd", text)
    if surrogates:
        warnings.append(note("surrogates-replaced", count=surrogates))
    return text


def _headline(first: str) -> tuple[str, str, str, list[str]]:
    """(headline, section, label, warnings) from the first line of the copy."""
    if read_line(first):
        raise WireError(note("headline-is-marker"))
    section, rest = split_section(first)
    headline, label = split_label(rest)
    headline = headline.strip()
    if not headline or _is_blank(headline) or label_line(headline):
        raise WireError(note("headline-missing"))
    warnings = [note("headline-label-removed", label=label)] if label else []
    return headline, section, label, warnings


def _drop_repetition_and_label(body: list[str], first: str, headline: str, label: str, warnings: list[str]):
    """Drop the scraper's repeated headline and a take label standing at the head of the body."""
    keys = {match_key(first), match_key(headline)}
    start = 0
    for line in body:
        if len(line) > 2 * len(first) + 20:  # too long to be the headline again (and costly to fold)
            break
        if match_key(line) in keys or match_key(split_label(split_section(line)[1])[0]) in keys:
            warnings.append(note("headline-repeated"))
        elif found := label_line(line):
            warnings.append(note("body-label-removed", label=found))
            label = label or found
        else:
            break
        start += 1
    return body[start:], label


# The warnings a story reports at the most: copy made of thousands of transmission lines would otherwise answer
# with thousands of "removed …" (megabytes of JSON, an admin message no one reads). The first ones say what kind
# of copy it was; the last says how many more there were.
MAX_WARNINGS = 50


def _capped(warnings: list[str]) -> tuple[str, ...]:
    if len(warnings) <= MAX_WARNINGS:
        return tuple(warnings)
    kept = MAX_WARNINGS - 1
    return (*warnings[:kept], note("more-warnings", count=len(warnings) - kept))


def _walk(body: list[str], warnings: list[str], stamps: list[Stamp]) -> list[str | Marker]:
    """Body lines as story text and markers; transmission lines and site trailers go, each with a warning
    (the filing stamps among them are kept in `stamps`)."""
    items: list[str | Marker] = []
    after_end = False  # desk initials may follow an end marker, with nothing but transmission lines between
    for index, line in enumerate(body):
        pieces = read_line(line, after_end=after_end)
        if pieces:
            for piece in pieces:
                warnings.append(note("removed", what=piece.what, text=piece.text))
                if piece.marker:
                    items.append(piece.marker)
                    after_end = piece.marker.kind == ENDS
                if piece.stamp:
                    stamps.append(piece.stamp)
            continue
        after_end = False
        rest = len(body) - index - 1
        furniture = site_furniture(line)
        if furniture in (COMMENTS_PROMPT, LINK_LIST):  # reader comments or more links follow: the story is over
            if rest:
                warnings.append(note("removed-with-rest", what=furniture, text=_quote(line), count=rest))
            else:
                warnings.append(note("removed", what=furniture, text=_quote(line)))
            break
        if furniture == APP_NOTICE:
            warnings.append(note("removed", what=APP_NOTICE, text=_quote(line)))
            continue
        kept, trailer = cut_inline_trailer(line)
        if trailer:
            warnings.append(note("removed", what="site trailer", text=_quote(trailer)))
            if not _is_blank(kept):
                items.append(kept)
            continue
        items.append(line)
    return items


def _cut_tail(items: list[str | Marker], warnings: list[str]) -> list[str]:
    """Remove trailers and closing credits from the end of the story; return the sources credits name."""
    credited = []
    while True:
        last = next((i for i in range(len(items) - 1, -1, -1) if isinstance(items[i], str)), None)
        if last is None:
            return credited
        cut = cut_tail(items[last])
        if cut is None:
            return credited
        if cut.source:
            credited.append(cut.source)
            warnings.append(note("credit-recorded", text=cut.removed, source=cut.source))
        else:
            warnings.append(note("removed", what=cut.what, text=_quote(cut.removed)))
        if _is_blank(cut.rest):
            del items[last]
        else:
            items[last] = cut.rest


def _parts(items: list[str | Marker], warnings: list[str]) -> tuple[list[WireTake], bool]:
    """Split the text at continuation markers; (parts, whether an end marker was seen)."""
    parts: list[WireTake] = []
    paragraphs: list[str] = []
    ended = False
    last_kind = ""
    for item in items:
        if isinstance(item, str):
            paragraphs.append(item)
            continue
        last_kind = item.kind
        if item.kind == CONTINUES:
            if paragraphs:
                parts.append(WireTake("\n\n".join(paragraphs), True))
            else:
                warnings.append(note("empty-part-skipped", text=item.text))
        else:
            ended = True
            if paragraphs:
                parts.append(WireTake("\n\n".join(paragraphs), False))
            elif parts and parts[-1].continues:
                parts[-1] = dataclasses.replace(parts[-1], continues=False)  # "(يتبع)" then "// انتهى //"
        paragraphs = []
    if paragraphs and last_kind == ENDS and parts:
        warnings.append(note("text-after-end-kept"))
        last = parts[-1]
        parts[-1] = dataclasses.replace(last, body=last.body + "\n\n" + "\n\n".join(paragraphs))
    elif paragraphs:
        parts.append(WireTake("\n\n".join(paragraphs), False))
    return parts, ended


def _filing(
    envelope: Envelope, stamps: list[Stamp], reference: datetime.datetime | datetime.date | None
) -> Filing | None:
    """When the copy was filed: a date the copy writes (its envelope, a dated stamp) wins; else the first
    time-only stamp read on the reference's day; else the reference itself; else nobody knows."""
    if envelope.date is not None:
        return Filing(envelope.date, note("origin-envelope"), True)
    dated = next((stamp for stamp in stamps if stamp.date), None)
    if dated is not None:
        return Filing(dated.date, note("origin-stamp", stamp=dated.text), True)
    if reference is None:
        return None
    if stamps:
        stamp = stamps[0]
        return Filing(
            day_of_stamp(stamp.time, stamp.offset_hours, reference), note("origin-stamp", stamp=stamp.text), False
        )
    return Filing(reference_date(reference), note("origin-reference"), False)


def _date(dateline: Dateline, filing: Filing | None) -> tuple[datetime.date | None, list[str]]:
    """The dateline's date completed against the filing time; a date the copy's envelope or stamps write
    serves when the dateline gives none."""
    date, notes = complete_date(dateline.reading, filing)
    if date is None and dateline.reading.start is None and filing is not None and filing.written:
        return filing.date, [note("date-from-filing", date=filing.date, origin=filing.origin)]
    return date, notes


def _transmitting_agency(envelope: Envelope, stamps: list[Stamp], warnings: list[str]) -> list[SourceRef]:
    """The agency an envelope or a dated stamp names, for copy whose dateline names none."""
    if envelope.agency:
        warnings.append(note("source-from-envelope", agency=envelope.agency))
        return [SourceRef(envelope.agency, ORIGINATING_AGENCY)]
    agency = next((stamp.agency for stamp in stamps if stamp.agency), "")
    if agency:
        warnings.append(note("source-from-stamp", agency=agency))
        return [SourceRef(agency, ORIGINATING_AGENCY)]
    return []


def parse(text: str, reference: datetime.datetime | datetime.date | None = None) -> WireStory:
    """Read one piece of wire copy; raises WireError (and nothing else) when it holds no story.

    `reference` is when the copy arrived (the ingest service passes the time of ingest): a dateline
    without a year, or with a Hijri date only, is completed against the filing time the copy carries or,
    failing that, against the reference. Without either, such a date is left unread.
    """
    if not isinstance(text, str):
        raise WireError(note("not-text", type=type(text).__name__))
    if reference is not None:
        reference_date(reference)  # a wrong type is the caller's bug: TypeError now, not halfway through
    warnings: list[str] = []
    text = _clean_characters(text, warnings)
    lines = [line.strip() for line in text.splitlines() if not _is_blank(line)]
    if not lines:
        raise WireError(note("empty"))

    envelope = read_envelope(lines)
    warnings += [note("envelope-removed", what=name, text=line) for name, line in envelope.lines]  # whole lines
    lines = lines[len(envelope.lines) :]

    headline, section, label, found = _headline(lines[0])
    warnings += found
    body, label = _drop_repetition_and_label(lines[1:], lines[0], headline, label, warnings)

    dateline = read_dateline(body[0]) if body else None
    if dateline is not None:
        body = ([dateline.lede] if dateline.lede else []) + body[1:]
    else:
        dateline = Dateline("")
    date_at = len(warnings)  # the dateline's warnings, in reading order, once the filing time is known
    warnings += [w for w in dateline.warnings if w != dateline.reading.problem]

    stamps: list[Stamp] = list(envelope.stamps)
    items = _walk(body, warnings, stamps)
    date, notes = _date(dateline, _filing(envelope, stamps, reference))
    warnings[date_at:date_at] = notes
    credited = _cut_tail(items, warnings)
    parts, ended = _parts(items, warnings)
    if not parts:
        raise WireError(note("body-missing"))
    if label:
        parts[0] = dataclasses.replace(parts[0], label=label)

    sources = list(dateline.sources)
    if not sources:
        sources += _transmitting_agency(envelope, stamps, warnings)
    named = {name_key(s.name) for s in sources}
    for name in credited[::-1]:  # cut from the end backwards; record them in reading order
        if name_key(name) not in named:
            sources.append(SourceRef(name, ORIGINATING_AGENCY))
            named.add(name_key(name))

    return WireStory(
        headline=headline,
        section=section,
        dateline=dateline.text,
        dateline_date=date,
        place=dateline.place,
        byline=dateline.byline,
        sources=tuple(sources),
        parts=tuple(parts),
        ended=ended,
        warnings=_capped(warnings),
    )
