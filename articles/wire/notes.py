"""The parser's warnings (and refusals) as notes: English text with a stable code and its parameters.

The parser stays pure and speaks English (logs, the command line, the corpus's expected warnings); an
interface that speaks another language reads a note's `code` and `params` instead of its words and says
the same thing in its own language (the admin does: `articles/admin/notes.py`). A note *is* its English
text — equal to it, printed and serialised as it — so every reader of plain strings goes on working.

Codes are stable: a code is never reused for another meaning, and a change of wording keeps its code.
"""

from __future__ import annotations

# The English wording of every code. A pair is (one, many), chosen by the `count` parameter. Parameters:
# `text` copy as written (quoted), `what` a kind of line or piece (one of THINGS), `count` a number,
# `date`/`filed` dates, `origin` a note saying where the filing time comes from, `label`/`source`/`agency`/
# `stamp` copy as written.
ENGLISH: dict[str, str | tuple[str, str]] = {
    # characters
    "bom-dropped": "dropped the UTF-8 byte order mark",
    "references-decoded": ("decoded {count} HTML character reference", "decoded {count} HTML character references"),
    "nul-removed": ("removed {count} NUL character", "removed {count} NUL characters"),
    "surrogates-replaced": (
        "replaced {count} unpaired surrogate with U+FFFD",
        "replaced {count} unpaired surrogates with U+FFFD",
    ),
    # headline and take labels
    "headline-label-removed": "removed take label '{label}' from the headline",
    "headline-repeated": "dropped the headline repeated at the head of the body",
    "body-label-removed": "removed take label '{label}' at the head of the body",
    # lines and pieces that are no story text
    "removed": "removed {what} '{text}'",
    "removed-with-rest": (
        "removed {what} '{text}' and the {count} line after it",
        "removed {what} '{text}' and the {count} lines after it",
    ),
    "envelope-removed": "removed envelope {what} '{text}'",
    "credit-recorded": "recorded closing credit '{text}' as source '{source}'",
    "empty-part-skipped": "skipped an empty part before continuation marker '{text}'",
    "text-after-end-kept": "kept the text that follows the end marker in the last part",
    "more-warnings": ("and {count} more warning", "and {count} more warnings"),
    # sources
    "source-from-envelope": "took the source '{agency}' from the transmission envelope",
    "source-from-stamp": "took the source '{agency}' from the filing stamp",
    # the dateline and its date
    "dateline-not-understood": "dateline not understood, kept as written: {text}",
    "date-invalid": "invalid date in the dateline, ignored: {text}",
    "date-from-filing": "took the date {date} from {origin}, as the dateline gives none",
    "year-inferred": "inferred the year of the dateline date '{text}' from {origin} ({filed}): {date}",
    "hijri-only": "the dateline gives only a Hijri date; no Gregorian date was read",
    "hijri-invalid": "invalid Hijri date in the dateline, ignored: {text}",
    "hijri-after-filing": "the Hijri date '{text}' ({date}) is after {origin} ({filed}); ignored",
    "hijri-converted": "converted the Hijri dateline date '{text}' to {date} (Umm al-Qura)",
    # where the filing time comes from (the `origin` of the date notes)
    "origin-envelope": "the transmission envelope",
    "origin-stamp": "the filing stamp '{stamp}'",
    "origin-reference": "the reference time",
    # refusals (WireError's message)
    "not-text": "the copy must be text, not {type}",
    "empty": "the copy is empty",
    "headline-is-marker": "no headline: the first non-blank line is a marker",
    "headline-missing": "no headline: the first line holds only a section slug or a take label",
    "body-missing": "no body: the copy has a headline but no story text",
}

# Every kind of line or piece a note's `what` names (markers.py, transmission.py, the parser's furniture).
THINGS = frozenset(
    {
        # transmission lines (transmission.py)
        "continuation marker",
        "end marker",
        "filing time",
        "end-of-message line",
        "desk initials",
        # envelope lines (transmission.py)
        "start of message",
        "message header",
        "priority",
        "category",
        "word count",
        "keyword line",
        "slug",
        "date",
        "agency",
        # site furniture and the tail of the story (markers.py)
        "comments prompt",
        "link list",
        "app notice",
        "site trailer",
        "rule line",
        "site disclaimer",
        "closing credit",
        "photo note",
        "tag list",
    }
)


class Note(str):
    """A warning: equal to, printed and serialised as its English text; `code` and `params` say it again."""

    code: str
    params: dict

    def __new__(cls, code: str, text: str, params: dict | None = None) -> Note:
        made = super().__new__(cls, text)
        made.code = code
        made.params = dict(params or {})
        return made

    def __reduce__(self):
        return (Note, (self.code, str(self), self.params))

    def __deepcopy__(self, memo):
        return self  # immutable, as the text it is


def note(code: str, **params) -> Note:
    """The note `code` with its parameters, worded in English."""
    wording = ENGLISH[code]
    if isinstance(wording, tuple):
        wording = wording[0] if params.get("count") == 1 else wording[1]
    return Note(code, wording.format(**params), params)
