"""Where an annotated span is in a part's text now: exact quotes kept, edited ones found again, lost ones said so.

Pure (no Django). Offsets are code points into the text exactly as stored: nothing is normalised, so
tashkeel, no-break spaces and Farsi yeh count as the characters they are. The approach follows
Hypothesis's anchoring: candidates are the exact occurrences of the quote and the best approximate match
near its old place (diff-match-patch's bitap match, as Hypothesis uses), each scored by how much it looks
like the quote first, then by its context (prefix and suffix), then by closeness to where it was.
"""

from dataclasses import dataclass

from diff_match_patch import diff_match_patch

CONTEXT = 32  # characters of prefix and suffix kept on each side, as Hypothesis does
ANCHORED, REANCHORED, ORPHANED = "anchored", "reanchored", "orphaned"
# Hypothesis's weights: the quote matters most, then its context, then closeness to its old place.
QUOTE_WEIGHT, PREFIX_WEIGHT, SUFFIX_WEIGHT, POSITION_WEIGHT = 50, 20, 20, 2


@dataclass(frozen=True)
class Span:
    """A TextQuoteSelector and a TextPositionSelector of one span."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class Anchor:
    """Where the span is now (None when orphaned) and its state."""

    state: str
    span: Span | None


class QuoteNotFound(ValueError):
    """The quote is not in the text, or is there several times with no context to choose. `kind` says which
    (empty, missing, ambiguous, undecided), so a caller can say it in the reader's language."""

    def __init__(self, message: str, *, kind: str, count: int = 0):
        super().__init__(message)
        self.kind, self.count = kind, count


def span_at(text: str, start: int, end: int) -> Span:
    """The selectors of text[start:end], with up to CONTEXT characters of context on each side."""
    return Span(text[start:end], text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT], start, end)


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    dmp = diff_match_patch()
    return 1 - dmp.diff_levenshtein(dmp.diff_main(a, b, False)) / max(len(a), len(b))


def locate(text: str, exact: str, prefix: str = "", suffix: str = "") -> Span:
    """A new annotation's span from its quote: its one occurrence, or the one its prefix and suffix choose."""
    if not exact:
        raise QuoteNotFound("the quote (exact) is empty", kind="empty")
    starts = _occurrences(text, exact)
    if not starts:
        raise QuoteNotFound("the quoted text (exact) is not in this part", kind="missing")
    if len(starts) > 1:
        if not (prefix or suffix):
            raise QuoteNotFound(
                f"the quoted text occurs {len(starts)} times in this part: add a prefix or suffix to choose",
                kind="ambiguous",
                count=len(starts),
            )
        scored = sorted(((_context_score(text, s, s + len(exact), prefix, suffix), s) for s in starts), reverse=True)
        if scored[0][0] == scored[1][0]:
            raise QuoteNotFound(
                "the prefix and suffix do not tell the occurrences of the quote apart", kind="undecided"
            )
        starts = [scored[0][1]]
    return span_at(text, starts[0], starts[0] + len(exact))


def _occurrences(text: str, exact: str) -> list[int]:
    found, at = [], text.find(exact)
    while at != -1:
        found.append(at)
        at = text.find(exact, at + 1)
    return found


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    before = text[max(0, start - len(prefix)) : start] if prefix else ""
    after = text[end : end + len(suffix)] if suffix else ""
    return PREFIX_WEIGHT * _similarity(prefix, before) + SUFFIX_WEIGHT * _similarity(suffix, after)


def reanchor(text: str, old: Span, *, threshold: float = 0.2) -> Anchor:
    """Find the span in `text` (a part's text after an edit). `threshold`: the largest share of the quote's
    length that may differ for an approximate match to count."""
    if 0 <= old.start <= old.end <= len(text) and text[old.start : old.end] == old.exact:
        return Anchor(ANCHORED, span_at(text, old.start, old.end))
    candidates = {(s, s + len(old.exact)) for s in _occurrences(text, old.exact)}
    candidates |= _approximate(text, old, threshold)
    best, best_score = None, float("-inf")
    length = max(len(text), 1)
    for start, end in candidates:
        quoted = _similarity(old.exact, text[start:end])
        if 1 - quoted > threshold:
            continue
        score = (
            QUOTE_WEIGHT * quoted
            + _context_score(text, start, end, old.prefix, old.suffix)
            + POSITION_WEIGHT * (1 - abs(start - old.start) / length)
        )
        if score > best_score:
            best, best_score = (start, end), score
    if best is None:
        return Anchor(ORPHANED, None)
    span = span_at(text, *best)
    return Anchor(ANCHORED if span.exact == old.exact else REANCHORED, span)


def _approximate(text: str, old: Span, threshold: float) -> set[tuple[int, int]]:
    """The best approximate match of the quote near its old place: its start found from the quote's head, its
    end from where the quote's end falls in the text (the fewest edits, not the old length)."""
    dmp = diff_match_patch()
    dmp.Match_Threshold = threshold
    dmp.Match_Distance = max(1000, len(text))
    spans: set[tuple[int, int]] = set()
    exact, slack = old.exact, int(len(old.exact) * threshold) + 1
    if not exact or not text:
        return spans
    head = exact[: dmp.Match_MaxBits]
    start = dmp.match_main(text, head, min(max(old.start, 0), len(text)))
    if start != -1:
        window = text[start : start + len(exact) + slack]
        diffs = dmp.diff_main(exact, window, False)
        # Where the quote's last character falls (its end itself would count text inserted after it).
        spans.add((start, start + dmp.diff_xIndex(diffs, len(exact) - 1) + 1))
    tail = exact[-dmp.Match_MaxBits :]
    hit = dmp.match_main(text, tail, min(max(old.end - len(tail), 0), len(text)))
    if hit != -1:
        end = hit + len(tail)
        window = text[max(0, end - len(exact) - slack) : end]
        diffs = dmp.diff_main(exact[::-1], window[::-1], False)
        spans.add((end - dmp.diff_xIndex(diffs, len(exact) - 1) - 1, end))
    return {(s, e) for s, e in spans if 0 <= s < e <= len(text)}
