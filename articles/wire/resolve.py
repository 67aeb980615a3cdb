"""Dates a dateline leaves incomplete, completed against the time the copy was filed.

A dateline without a year (Reuters' and AFP's `لندن 5 مارس آذار (رويترز) -`) and a Hijri-only dateline
(`25 شوال 1436 هـ`) name a day the reader of the day knew. The parser completes them against the
*filing time*: a date the copy itself carries (its envelope, a dated transmission stamp), else a
time-only filing stamp read on the reference day, else the caller's `reference` (the ingest service
passes the time of ingest). Without any of these, nothing is guessed.
"""

import datetime
from dataclasses import dataclass

from hijridate import Hijri

from .dates import HIJRI_ONLY, DateReading
from .notes import Note, note

# A dateline is never more than a day ahead of its filing time (time zones: Sydney's morning is
# London's evening before); a date further ahead belongs to an earlier year.
_AHEAD = datetime.timedelta(days=1)
# How far back a day and month without a year may go: 29 February recurs within eight years.
_YEARS_BACK = 8
# A time-only stamp later than the reference's clock by more than this was filed the day before.
_CLOCK_SKEW = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Filing:
    """When the copy was filed, as far as the parser can tell, and how it knows."""

    date: datetime.date
    origin: Note  # for the warnings: "the transmission envelope", "the filing stamp '11:53 ت م'", "the reference time"
    written: bool  # the copy itself writes this date (an envelope date, a dated stamp)


def reference_date(reference: datetime.datetime | datetime.date) -> datetime.date:
    """The day of a reference: an aware datetime is read in UTC, a naive one as it stands."""
    if isinstance(reference, datetime.datetime):
        if reference.tzinfo is not None:
            reference = reference.astimezone(datetime.UTC)
        return reference.date()
    if isinstance(reference, datetime.date):
        return reference
    raise TypeError(f"reference must be a datetime or a date, not {type(reference).__name__}")


def day_of_stamp(time: datetime.time, offset_hours: int, reference: datetime.datetime | datetime.date) -> datetime.date:
    """The day a time-only filing stamp (`11:53 ت م`) was written, read against the reference: the
    reference's day in the stamp's zone, or the day before when the stamp is later than its clock."""
    if not isinstance(reference, datetime.datetime):
        return reference_date(reference)
    utc = reference.astimezone(datetime.UTC) if reference.tzinfo else reference.replace(tzinfo=datetime.UTC)
    local = utc + datetime.timedelta(hours=offset_hours)
    stamped = datetime.datetime.combine(local.date(), time, tzinfo=datetime.UTC)
    if stamped > local + _CLOCK_SKEW:
        return local.date() - datetime.timedelta(days=1)
    return local.date()


def infer_year(day: int, month: int, filed: datetime.date) -> datetime.date | None:
    """The latest date with this day and month not more than one day after filing; None when none is valid."""
    limit = filed + _AHEAD
    for year in range(limit.year, limit.year - _YEARS_BACK - 1, -1):
        try:
            found = datetime.date(year, month, day)
        except ValueError:
            continue
        if found <= limit:
            return found
    return None


def from_hijri(year: int, month: int, day: int) -> datetime.date:
    """A Hijri date in the Umm al-Qura calendar (hijridate); ValueError outside its table or month."""
    try:
        converted = Hijri(year, month, day).to_gregorian()
    except OverflowError as error:  # a year outside 1343–1500 AH
        raise ValueError(str(error)) from None
    return datetime.date(converted.year, converted.month, converted.day)  # a plain date, not hijridate's subclass


def complete_date(reading: DateReading, filing: Filing | None) -> tuple[datetime.date | None, list[str]]:
    """The dateline's Gregorian date, completed against the filing time where the dateline leaves it
    incomplete; with the warnings that say what was inferred or converted (or why not)."""
    if reading.date is not None:
        return reading.date, []
    if reading.hijri is not None:
        return _converted(reading, filing)
    if reading.start is None or reading.problem:
        return None, [reading.problem] if reading.problem else []
    if reading.day is None or reading.month is None or filing is None:
        return None, []
    found = infer_year(reading.day, reading.month, filing.date)
    if found is None:
        return None, [note("date-invalid", text=reading.written)]
    return found, [note("year-inferred", text=reading.written, origin=filing.origin, filed=filing.date, date=found)]


def _converted(reading: DateReading, filing: Filing | None) -> tuple[datetime.date | None, list[str]]:
    """A Hijri-only date converted (Umm al-Qura), when a filing time can vouch that it is no typo."""
    if filing is None:
        return None, [HIJRI_ONLY]
    year, month, day = reading.hijri
    try:
        found = from_hijri(year, month, day)
    except ValueError:
        return None, [note("hijri-invalid", text=reading.written)]
    if found > filing.date + _AHEAD:
        return None, [
            note("hijri-after-filing", text=reading.written, date=found, origin=filing.origin, filed=filing.date)
        ]
    return found, [note("hijri-converted", text=reading.written, date=found)]
