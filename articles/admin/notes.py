"""The wire parser's notes in the interface language.

The parser (`articles/wire`) is pure and writes English; each of its warnings and refusals is a `Note`
with a stable code and parameters. Here every code has its wording through the catalogues, and what a
note quotes from the copy is isolated in `<bdi>`, so the bidi algorithm cannot carry brackets, quotes and
numbers across the Arabic it sits in (or the English around it). A message that is no note (the
services' own, already translated) is shown as it is.
"""

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from articles.wire.notes import Note

WORDING = {
    "bom-dropped": _("dropped the UTF-8 byte order mark"),
    "references-decoded": ngettext_lazy(
        "decoded %(count)s HTML character reference", "decoded %(count)s HTML character references", "count"
    ),
    "nul-removed": ngettext_lazy("removed %(count)s NUL character", "removed %(count)s NUL characters", "count"),
    "surrogates-replaced": ngettext_lazy(
        "replaced %(count)s unpaired surrogate with U+FFFD",
        "replaced %(count)s unpaired surrogates with U+FFFD",
        "count",
    ),
    "headline-label-removed": _("removed the take label “%(label)s” from the headline"),
    "headline-repeated": _("dropped the headline repeated at the head of the body"),
    "body-label-removed": _("removed the take label “%(label)s” at the head of the body"),
    "removed": _("removed %(what)s “%(text)s”"),
    "removed-with-rest": ngettext_lazy(
        "removed %(what)s “%(text)s” and the %(count)s line after it",
        "removed %(what)s “%(text)s” and the %(count)s lines after it",
        "count",
    ),
    "envelope-removed": _("removed the envelope’s %(what)s “%(text)s”"),
    "credit-recorded": _("recorded the closing credit “%(text)s” as the source “%(source)s”"),
    "empty-part-skipped": _("skipped an empty part before the continuation marker “%(text)s”"),
    "text-after-end-kept": _("kept the text that follows the end marker in the last part"),
    "more-warnings": ngettext_lazy("and %(count)s more warning", "and %(count)s more warnings", "count"),
    "source-from-envelope": _("took the source “%(agency)s” from the transmission envelope"),
    "source-from-stamp": _("took the source “%(agency)s” from the filing stamp"),
    "dateline-not-understood": _("dateline not understood, kept as written: %(text)s"),
    "date-invalid": _("invalid date in the dateline, ignored: %(text)s"),
    "date-from-filing": _("took the date %(date)s from %(origin)s, as the dateline gives none"),
    "year-inferred": _("inferred the year of the dateline date “%(text)s” from %(origin)s (%(filed)s): %(date)s"),
    "hijri-only": _("the dateline gives only a Hijri date; no Gregorian date was read"),
    "hijri-invalid": _("invalid Hijri date in the dateline, ignored: %(text)s"),
    "hijri-after-filing": _("the Hijri date “%(text)s” (%(date)s) is after %(origin)s (%(filed)s); ignored"),
    "hijri-converted": _("converted the Hijri dateline date “%(text)s” to %(date)s (Umm al-Qura)"),
    "origin-envelope": _("the transmission envelope"),
    "origin-stamp": _("the filing stamp “%(stamp)s”"),
    "origin-reference": _("the time the copy arrived"),
    "not-text": _("the copy must be text, not %(type)s"),
    "empty": _("the copy is empty"),
    "headline-is-marker": _("no headline: the first line that is not blank is a marker"),
    "headline-missing": _("no headline: the first line holds only a section slug or a take label"),
    "body-missing": _("no body: the copy has a headline but no story text"),
}

# The kinds of lines and pieces the parser removes (a note's `what`), in the wire desk's words.
THINGS = {
    "continuation marker": pgettext_lazy("wire copy", "continuation marker"),
    "end marker": pgettext_lazy("wire copy", "end marker"),
    "filing time": pgettext_lazy("wire copy", "filing time"),
    "end-of-message line": pgettext_lazy("wire copy", "end-of-message line"),
    "desk initials": pgettext_lazy("wire copy", "desk initials"),
    "start of message": pgettext_lazy("wire copy", "start of message"),
    "message header": pgettext_lazy("wire copy", "message header"),
    "priority": pgettext_lazy("wire copy", "priority"),
    "category": pgettext_lazy("wire copy", "category"),
    "word count": pgettext_lazy("wire copy", "word count"),
    "keyword line": pgettext_lazy("wire copy", "keyword line"),
    "slug": pgettext_lazy("wire copy", "slug"),
    "date": pgettext_lazy("wire copy", "date line"),
    "agency": pgettext_lazy("wire copy", "agency line"),
    "comments prompt": pgettext_lazy("wire copy", "comments prompt"),
    "link list": pgettext_lazy("wire copy", "link list"),
    "app notice": pgettext_lazy("wire copy", "app notice"),
    "site trailer": pgettext_lazy("wire copy", "site trailer"),
    "rule line": pgettext_lazy("wire copy", "rule line"),
    "site disclaimer": pgettext_lazy("wire copy", "site disclaimer"),
    "closing credit": pgettext_lazy("wire copy", "closing credit"),
    "photo note": pgettext_lazy("wire copy", "photo note"),
    "tag list": pgettext_lazy("wire copy", "tag list"),
}


def isolated(value) -> SafeString:
    """Copy, a name or a date inside a sentence of the interface: its own direction, escaped."""
    return format_html("<bdi>{}</bdi>", value.isoformat() if hasattr(value, "isoformat") else value)


def _param(name: str, value):
    if isinstance(value, Note):
        return say(value)
    if name == "what":
        return THINGS[value] if value in THINGS else isolated(value)
    if name == "count" and isinstance(value, int):
        return value  # ngettext chooses the plural form by it
    return isolated(value)


def say(message) -> SafeString:
    """A warning or refusal as HTML in the interface language: a parser note through its code's wording
    (the English text when its code is unknown here), anything else as it is, escaped."""
    if not isinstance(message, Note) or message.code not in WORDING:
        return conditional_escape(message)
    params = {name: _param(name, value) for name, value in message.params.items()}
    # The wording comes from our catalogues (as a template's blocktranslate does); the parameters are escaped.
    try:
        return mark_safe(WORDING[message.code] % params if params else str(WORDING[message.code]))
    except (KeyError, TypeError, ValueError):  # a translation naming a placeholder the note lacks
        return conditional_escape(message)


def refusal(error) -> SafeString:
    """A service's refusal of pasted copy: the parser's own reason through its code when it has one."""
    cause = getattr(error, "__cause__", None)
    reason = cause.args[0] if cause is not None and getattr(cause, "args", None) else None
    if isinstance(reason, Note):
        return say(reason)
    return conditional_escape(getattr(error, "message", str(error)))
