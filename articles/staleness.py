"""Which paragraphs of a translation still render their original: a pure alignment, no Django imports.

A translation keeps, for each of its paragraphs, the digest and text of the original paragraph it rendered
when it was made or last marked current (None: a paragraph translated since, not yet confirmed). Aligning
those digests with the original's paragraphs now (difflib, as revisions' word diffs do) tells each
paragraph's state: an inserted paragraph in the original is *new* and the ones after it stay *current*,
instead of every later paragraph looking *changed*.
"""

import hashlib
from dataclasses import dataclass
from difflib import SequenceMatcher

CURRENT, CHANGED, REMOVED, NEW = "current", "changed", "removed", "new"


def digest(text: str) -> str:
    """The digest of one paragraph's text, exactly as stored."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the original: where it stands (part number, index in the part) and its text."""

    part: int
    paragraph: int
    text: str

    @property
    def digest(self) -> str:
        return digest(self.text)


@dataclass(frozen=True)
class Rendered:
    """What one translated paragraph rendered: the original's paragraph then (None: not yet confirmed)."""

    part: int  # the translation's own part and paragraph
    paragraph: int
    digest: str | None = None
    text: str | None = None
    source_part: int | None = None
    source_paragraph: int | None = None


@dataclass(frozen=True)
class State:
    """One paragraph's state: where it is in the translation (None for new) and in the original now."""

    state: str
    translated: Rendered | None
    original: Paragraph | None

    @property
    def original_then(self) -> str | None:
        return self.translated.text if self.translated else None

    @property
    def original_now(self) -> str | None:
        return self.original.text if self.original else None


def paragraphs_of(parts) -> list[Paragraph]:
    """(number, body) pairs of parts in order → their paragraphs (split on blank lines, as Part.paragraphs)."""
    return [
        Paragraph(number, index, text)
        for number, body in parts
        for index, text in enumerate(p for p in body.split("\n\n") if p.strip())
    ]


def align(rendered: list[Rendered], now: list[Paragraph]) -> list[State]:
    """Every translated paragraph and every original paragraph, each once, with its state, in reading order."""
    # A paragraph translated but never confirmed matches nothing: it is paired as new, never as current.
    then = [r.digest or f"unconfirmed-{i}" for i, r in enumerate(rendered)]
    matcher = SequenceMatcher(a=then, b=[p.digest for p in now], autojunk=False)
    states: list[State] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            states += [State(CURRENT, rendered[a], now[b]) for a, b in zip(range(a1, a2), range(b1, b2), strict=True)]
            continue
        pairs = min(a2 - a1, b2 - b1)
        for offset in range(pairs):
            translated, original = rendered[a1 + offset], now[b1 + offset]
            states.append(State(NEW if translated.digest is None else CHANGED, translated, original))
        states += [State(REMOVED, rendered[a], None) for a in range(a1 + pairs, a2)]
        states += [State(NEW, None, now[b]) for b in range(b1 + pairs, b2)]
    return states


def by_position(translated: list[tuple[int, int]], now: list[Paragraph]) -> list[Rendered]:
    """What each translated paragraph (part, index) renders when the translation follows the original's
    structure: the original's paragraph at the same place, or nothing when the original has none there."""
    at = {(p.part, p.paragraph): p for p in now}
    rendered = []
    for part, index in translated:
        source = at.get((part, index))
        rendered.append(
            Rendered(part, index, source.digest, source.text, source.part, source.paragraph)
            if source
            else Rendered(part, index)
        )
    return rendered


def outdated(states: list[State]) -> bool:
    return any(state.state != CURRENT for state in states)
