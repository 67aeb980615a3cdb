"""Dates on the public pages: <time> elements that say the date as a reader of the interface language
writes it (articles/formats/dates.py), with the exact moment in `datetime` for machines."""

import datetime
from functools import lru_cache

from django import template
from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from articles.formats import dates

register = template.Library()


@register.simple_tag
def story_date(value) -> str:
    """`<time datetime="…">30 نوفمبر 2026، 2:23 م</time>`: the exact date (and time, for a moment)."""
    if not isinstance(value, datetime.date):
        return ""
    style = dates.site_style()
    return _time(value, dates.format_exact(value, language=_language(), style=style), style)


@register.filter
def digits(value) -> str:
    """A number as the interface writes it (NEWSROOM_DIGITS, docs/dates.md): part and page numbers, notes,
    counts. A reader's own text never goes through it."""
    if value is None or value == "":
        return ""
    return dates.number(value, language=_language(), style=dates.site_style())


@register.simple_tag
def numbering() -> str:
    """The interface's numbering system ("latn", "arab", "arabext"): a list's markers follow it (newsroom.css)."""
    return dates.numbering(_language(), dates.site_style())


@register.simple_tag(takes_context=True)
def relative_time(context, value) -> str:
    """`<time datetime="…" title="exact date">منذ ساعتين</time>` for lists; the date once it is a week old. In a
    page rendered to be stored (articles/web/assembled.py) the element is written whole but for its text, a mark
    that the page's reader's moment fills in (relative_texts)."""
    if not isinstance(value, datetime.date):
        return ""
    marks = context.get("marks")
    if marks is not None and isinstance(value, datetime.datetime):
        before, after = _relative_frame(value, _language(), translation.get_language_bidi(), dates.site_style())
        return mark_safe(before + marks.moment(value) + after)
    return relative_sayer()(value)


def relative_texts():
    """The text of relative_time's element for a moment, said now and escaped, as a function: what it depends
    on besides the moment (the date style, the active language, now) is read once, for a page's many moments.

    Now is the current second's end: every page said in one second says a moment alike, so each process keeps
    the texts said in the current second (_SaidThisSecond) and says a moment once a second at most. (Its end,
    not its start: a moment of this very second, a comment just posted, is "now", not still to come.) The related
    stories a page lists are the newest of their section or agency, shared by most pages: a story page
    assembled from its stored rendering (articles/web/assembled.py) said them afresh, a fifth of its work."""
    now = _second_end(timezone.now())
    style, language = dates.site_style(), _language()
    said = _SAID.table(now, language, style)

    def text(value) -> str:
        found = said.get(value)
        if found is None:
            found = conditional_escape(dates.format_relative(value, now=now, language=language, style=style))
            if len(said) < _SaidThisSecond.MAX:
                said[value] = found
        return found

    return text


def _second_end(moment: datetime.datetime) -> datetime.datetime:
    whole = moment.replace(microsecond=0)
    return whole if whole == moment else whole + datetime.timedelta(seconds=1)


class _SaidThisSecond:
    """The texts said in one second, by language and date style, then by moment: all replaced when the second
    changes (a text said in another second may read otherwise). Bounded: a second's moments are the stories
    and comments of the pages answered in it."""

    MAX = 10_000

    def __init__(self):
        self.now: tuple = (None, {})  # (the second, its tables), replaced as one (threads share it)

    def table(self, now, language: str, style) -> dict:
        second, tables = self.now
        if second != now:
            tables = {}
            self.now = (now, tables)
        found = tables.get((language, style))
        if found is None:
            found = tables[(language, style)] = {}
        return found


_SAID = _SaidThisSecond()


def relative_sayer():
    """relative_time's element for a moment, said now, as a function (relative_texts): only the element's text
    depends on now; the rest is kept (_relative_frame)."""
    language, bidi, style, text = _language(), translation.get_language_bidi(), dates.site_style(), relative_texts()

    def said(value) -> str:
        before, after = _relative_frame(value, language, bidi, style)
        return mark_safe(before + text(value) + after)

    return said


@lru_cache(maxsize=1024)
def _relative_frame(value, language: str, bidi: bool, style: dates.DateStyle) -> tuple[str, str]:
    """The <time> element of relative_time around its text (exact date, machine form, language and direction):
    the same for a moment whenever it is said. `language` and `bidi` are the active language's, which _time
    reads; they key the frame."""
    exact = dates.format_exact(value, language=language, style=style)
    before, after = _time(value, "\x00", style, title=exact).split("\x00")
    return before, after


@register.simple_tag
def hijri_date(value) -> str:
    """The Umm al-Qura date of the same day, when NEWSROOM_HIJRI_DATE asks for it (nothing otherwise)."""
    if not isinstance(value, datetime.date):
        return ""
    style = dates.site_style()
    text = dates.format_hijri(value, language=_language(), style=style) if style.hijri else None
    if not text:
        return ""
    day = dates.local(value, style.zone)
    day = day.date() if isinstance(day, datetime.datetime) else day
    return _time(day, text, style, css="hijri")


@register.filter
def exact_date(value) -> str:
    """The long date as plain text, for a sentence ({% blocktranslate with date=…|exact_date %})."""
    if not isinstance(value, datetime.date):
        return ""
    return dates.format_date(value, language=_language(), style=dates.site_style())


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _time(value, text: str, style: dates.DateStyle, *, title: str = "", css: str = "") -> str:
    # The interface's lang and dir: the date sits inside a story that may be in another language.
    language = _language()
    direction = "rtl" if translation.get_language_bidi() else "ltr"
    return format_html(
        '<time{}{} lang="{}" dir="{}" datetime="{}">{}</time>',
        format_html(' class="{}"', css) if css else "",
        format_html(' title="{}"', title) if title else "",
        language,
        direction,
        dates.iso(value, style=style),
        text,
    )
