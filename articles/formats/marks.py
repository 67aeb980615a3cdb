"""Where a story's public annotations fall in its paragraphs: segments of text with the notes that cover
them, for templates to render as <mark> and numbered notes. Pure: text stays text (the template escapes it);
no HTML is built from stored strings."""

from dataclasses import dataclass, field
from itertools import pairwise


@dataclass(frozen=True)
class Segment:
    text: str
    notes: tuple[int, ...] = ()  # numbers of the notes covering this text
    ends: tuple[int, ...] = ()  # numbers of the notes whose span ends here (their reference goes after)


@dataclass(frozen=True)
class Note:
    number: int
    annotation: object


@dataclass
class MarkedPart:
    """A part's paragraphs as segments, and the notes on it in reading order."""

    paragraphs: list[list[Segment]]
    notes: list[Note] = field(default_factory=list)


def _paragraph_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) offsets into body of each non-blank paragraph, as Part.paragraphs splits them."""
    spans, position = [], 0
    for chunk in body.split("\n\n"):
        if chunk.strip():
            spans.append((position, position + len(chunk)))
        position += len(chunk) + 2
    return spans


def mark(body: str, annotations, *, first_number: int = 1) -> MarkedPart:
    """The part's paragraphs with its annotations (objects with start, end) numbered from first_number."""
    notes = [Note(first_number + i, a) for i, a in enumerate(sorted(annotations, key=lambda a: (a.start, a.end)))]
    paragraphs = []
    for start, end in _paragraph_spans(body):
        inside = [n for n in notes if n.annotation.start < end and n.annotation.end > start]
        cuts = {start, end}
        for note in inside:
            cuts |= {max(start, note.annotation.start), min(end, note.annotation.end)}
        points = sorted(cuts)
        segments = []
        for left, right in pairwise(points):
            covering = tuple(n.number for n in inside if n.annotation.start <= left and n.annotation.end >= right)
            ending = tuple(n.number for n in inside if n.annotation.end == right)  # the reference at its real end
            segments.append(Segment(body[left:right], covering, ending))
        paragraphs.append(segments)
    return MarkedPart(paragraphs, notes)
