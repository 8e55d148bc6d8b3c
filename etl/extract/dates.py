"""Publication dates: from structured metadata, from a date printed in the text, or from a
user-supplied sidecar file (read by etl.extract.sidecar), and the event date a story reports
relative to its publication.

Everything here is a pure function over strings. The common shapes ("2017-04-05T10:00Z",
"Wed, 05 Apr 2017 09:14:00 GMT", "Posted on April 4 2017 by", "Wed 05 Apr 2017",
"٥ نيسان ٢٠١٧") are read by compiled regular expressions; dateparser is only consulted for
metadata values none of them recognise, because it costs milliseconds per call.

Dates are returned as naive UTC `datetime`s with a precision (day, month or year). A date is
never invented: when nothing can be established the answer is `PubDate(None, None, "none")`,
never "today".
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone

from etl.model import PubDate

__all__ = [
    "EARLIEST",
    "parse_metadata_date",
    "metadata_date_problem",
    "infer_dayfirst",
    "date_from_text",
    "event_date",
    "publication_date",
]

# Anything earlier is a data error (a placeholder, a typo, a mis-read number), not a
# publication date of a news article.
EARLIEST = datetime(1900, 1, 1)
# Feeds and pages stamp times in zones up to UTC+14; allow that much "future".
FUTURE_SLACK = timedelta(days=1)
# How far into the body a printed date line may start.
TEXT_WINDOW = 400

_EN_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}
# Egyptian/Gulf (transliterated) and Levantine/Iraqi (Syriac) month names, with the usual
# spellings with and without hamza.
_AR_MONTHS = {
    "يناير": 1, "كانون الثاني": 1, "كانون ثاني": 1,
    "فبراير": 2, "شباط": 2,
    "مارس": 3, "آذار": 3, "اذار": 3, "أذار": 3,
    "أبريل": 4, "ابريل": 4, "إبريل": 4, "نيسان": 4,
    "مايو": 5, "أيار": 5, "ايار": 5,
    "يونيو": 6, "يونيه": 6, "حزيران": 6,
    "يوليو": 7, "يوليه": 7, "تموز": 7,
    "أغسطس": 8, "اغسطس": 8, "آب": 8, "اب": 8,
    "سبتمبر": 9, "أيلول": 9, "ايلول": 9,
    "أكتوبر": 10, "اكتوبر": 10, "تشرين الأول": 10, "تشرين الاول": 10, "تشرين أول": 10,
    "نوفمبر": 11, "تشرين الثاني": 11, "تشرين ثاني": 11,
    "ديسمبر": 12, "كانون الأول": 12, "كانون الاول": 12, "كانون أول": 12,
}
_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
_AR_WEEKDAYS = ("الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الاربعاء", "الخميس", "الجمعة",
                "السبت", "الأحد", "الاحد")
# Arabic-Indic and Extended Arabic-Indic (Persian) digits -> ASCII. One character each, so
# offsets in the translated string are offsets in the original.
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"
_DIGITS = str.maketrans(_ARABIC_DIGITS, "01234567890123456789")
_NON_ASCII_DIGIT = re.compile(f"[{_ARABIC_DIGITS}]")


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_MON = rf"(?:{_alt(_EN_MONTHS)})\.?"
_WD = rf"(?:{_alt(_WEEKDAYS)})\.?,?"
_AR_MON = rf"(?:{_alt(_AR_MONTHS)})"
_YEAR = r"(?:19|20)\d\d"

# A day-precision date as printed in running text. Named groups tell the shapes apart.
_TEXT_DATE = re.compile(
    rf"""(?<![\w.])(?:
        (?:{_WD}\s+)?(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MON}),?\s+(?P<y1>{_YEAR})(?!\d)
      | (?:{_WD}\s+)?(?P<m2>{_MON})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>{_YEAR})(?!\d)
      | (?P<m3>{_MON})\s+(?P<d3>\d\d)(?P<y3>{_YEAR})(?!\d)
      | (?P<iy>{_YEAR})-(?P<im>\d\d)-(?P<id>\d\d)(?!\d)
      | (?P<n1>\d{{1,2}})(?P<sep>[./-])(?P<n2>\d{{1,2}})(?P=sep)(?P<ny>{_YEAR})(?!\d)
      | (?:(?:{_alt(_AR_WEEKDAYS)})[\s,،]+)?(?P<ad>\d{{1,2}})\s*(?P<am>{_AR_MON})
        (?:\s*[/(]\s*(?:{_AR_MON})\s*\)?)?[\s,،]*(?P<ay>{_YEAR})(?!\d)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_HAS_YEAR = re.compile(r"(?:19|20)\d\d")
# Words that announce the publication date ("Posted on", "Date of publication", "Updated:").
_MARKER_BEFORE = re.compile(
    r"(?:posted|published|updated|date\s+of\s+publication|dated|first\s+published|"
    r"نشر|تاريخ\s+النشر|آخر\s+تحديث)(?:\s+(?:on|at))?[\s:|,-]*$",
    re.IGNORECASE,
)
_MARKER = re.compile(
    r"\b(?:posted|published|updated|date\s+of\s+publication)(?:\s+(?:on|at))?[\s:|,-]*",
    re.IGNORECASE,
)
# A date right after one of these words is mentioned in passing ("since March 2011",
# "in the attack of 21 August 2013"), not a dateline.
_PASSING_BEFORE = re.compile(
    r"\b(?:since|in|on|from|until|till|before|after|of|between|and|to|during|than|by|"
    r"through|ended|ending|began|starting|around|as)\W*$",
    re.IGNORECASE,
)

# Metadata shapes, each anchored to the whole (stripped) value.
_ISO = re.compile(
    r"(?P<y>\d{4})(?:(?P<s>[-/.]?)(?P<m>\d\d)(?:(?P=s)(?P<d>\d\d)"
    r"(?:[T\s]+(?P<H>\d\d):?(?P<M>\d\d)(?::?(?P<S>\d\d)(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d\d(?::?\d\d)?)?)?)?)?",
    re.IGNORECASE,
)
_TIME = (
    r"(?P<H>\d{1,2}):(?P<M>\d\d)(?::(?P<S>\d\d)(?:\.\d+)?)?\s*(?P<ampm>[ap]\.?m\.?)?"
    r"\s*(?P<tz>Z|UT|UTC|GMT|[ECMP][SD]T|[+-]\d\d:?\d\d)?"
)
_TIME_TZ = rf"(?:\s+(?:at\s+)?{_TIME})?"
_RFC822 = re.compile(
    rf"(?:{_WD}\s*)?(?P<d>\d{{1,2}})[\s-]+(?P<mon>{_MON})[\s-]+(?P<y>\d{{4}}|\d\d){_TIME_TZ}",
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    rf"(?P<a>\d{{1,2}})(?P<sep>[/.-])(?P<b>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d\d)(?:[T\s,]+{_TIME})?",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(rf"(?P<mon>{_MON}),?\s+(?P<y>\d{{4}})", re.IGNORECASE)
_EPOCH = re.compile(r"(?P<n>\d{9,10}|\d{12,13})(?:\.\d+)?")
_TZ_HOURS = {"Z": 0, "UT": 0, "UTC": 0, "GMT": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
             "MST": -7, "MDT": -6, "PST": -8, "PDT": -7}

_dateparser = None


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(timezone.utc).replace(tzinfo=None)
    if now.tzinfo is not None:
        return now.astimezone(timezone.utc).replace(tzinfo=None)
    return now


def _offset(tz: str | None) -> timedelta:
    if not tz:
        return timedelta(0)
    tz = tz.upper()
    if tz in _TZ_HOURS:
        return timedelta(hours=_TZ_HOURS[tz])
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))


def _year(text: str, now: datetime) -> int:
    """Four-digit years as given; two-digit years in the most recent century that is not in the future."""
    y = int(text)
    if len(text) == 2:
        y += 2000 if 2000 + y <= now.year + 1 else 1900
    return y


def _build(y: int, m: int, d: int = 1, H: int = 0, M: int = 0, S: int = 0,
           tz: str | None = None) -> datetime | str:
    """A naive UTC datetime, or the reason these parts are no calendar date."""
    try:
        value = datetime(y, m, d, H, M, S)
    except ValueError as exc:
        return f"not a calendar date ({exc})"
    return value - _offset(tz)


def _hour(match: re.Match) -> int:
    hour = int(match["H"] or 0)
    ampm = (match.groupdict().get("ampm") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    return hour


def _parse(raw: str, now: datetime, dayfirst: bool | None) -> tuple[datetime | None, str | None, str]:
    """(value, precision, reason): the value read from a metadata string, or the reason it is not a date."""
    s = raw.strip().translate(_DIGITS)
    if not s:
        return None, None, "empty value"
    if m := _ISO.fullmatch(s):
        return _from_iso(m, raw, now)
    if m := _EPOCH.fullmatch(s):
        return _from_epoch(m, raw, now)
    if m := _RFC822.fullmatch(s):
        built = _build(_year(m["y"], now), _EN_MONTHS[m["mon"].rstrip(".").lower()], int(m["d"]),
                       _hour(m), int(m["M"] or 0), int(m["S"] or 0), m["tz"])
        return _check(built, "day", now)
    if m := _NUMERIC.fullmatch(s):
        return _from_numeric(m, raw, now, dayfirst)
    if m := _MONTH_YEAR.fullmatch(s):
        return _check(_build(int(m["y"]), _EN_MONTHS[m["mon"].rstrip(".").lower()]), "month", now)
    if len(s) <= 80 and (m := _TEXT_DATE.search(s)):
        found = _from_text_date(m, s, now)
        if found is not None:
            return found
    return _fallback(s, raw, now)


def _from_iso(m: re.Match, raw: str, now: datetime) -> tuple[datetime | None, str | None, str]:
    """ISO 8601 and its compact forms, to the year, month or day (and time)."""
    y = int(m["y"])
    if m["m"] is None:
        return _check(_build(y, 1), "year", now)
    if m["d"] is None:
        if m["s"] == "" and m["y"]:   # "201704" is too ambiguous to read as a month
            return None, None, f"unrecognised date format: {raw!r}"
        return _check(_build(y, int(m["m"])), "month", now)
    built = _build(y, int(m["m"]), int(m["d"]), int(m["H"] or 0), int(m["M"] or 0),
                   int(m["S"] or 0), m["tz"])
    return _check(built, "day", now)


def _from_epoch(m: re.Match, raw: str, now: datetime) -> tuple[datetime | None, str | None, str]:
    """Seconds since 1970 (milliseconds from 12 digits on)."""
    n = int(m["n"])
    seconds = n / 1000 if len(m["n"]) >= 12 else n
    try:
        value = datetime(1970, 1, 1) + timedelta(seconds=seconds)
    except OverflowError:
        return None, None, f"epoch value out of range: {raw!r}"
    return _check(value, "day", now)


def _from_numeric(m: re.Match, raw: str, now: datetime,
                  dayfirst: bool | None) -> tuple[datetime | None, str | None, str]:
    """All-numeric dates with the year last ("4/5/2017", "05.04.2017")."""
    a, b = int(m["a"]), int(m["b"])
    if m["sep"] == "/":
        # Slashes: US order (M/D/Y) unless only the day-first reading is possible or the
        # caller knows the column is day-first.
        if a > 12 and b <= 12:
            month_first = False
        elif b > 12 and a <= 12:
            month_first = True
        elif dayfirst is None and a != b:
            return None, None, f"ambiguous day/month order: {raw!r}"
        else:
            month_first = not dayfirst
    else:
        # Dots and dashes with the year last are the European order (D.M.Y).
        month_first = a <= 12 < b
    month, day = (a, b) if month_first else (b, a)
    built = _build(_year(m["y"], now), month, day, _hour(m), int(m["M"] or 0), int(m["S"] or 0), m["tz"])
    return _check(built, "day", now)


def _from_text_date(m: re.Match, s: str, now: datetime) -> tuple[datetime | None, str | None, str] | None:
    """A written date ("5 April 2017", "April 5, 2017 at 10:30") that is the whole value, with
    at most a time beside it; None when something else is left over (dateparser may know it)."""
    value = _text_match_value(m)
    if isinstance(value, str):
        return None, None, value
    rest = (s[: m.start()] + s[m.end():]).strip(" ,|-")
    if not rest:
        return _check(value, "day", now)
    if t := re.fullmatch(rf"(?:at\s+)?{_TIME}", rest, re.I):
        value += timedelta(hours=_hour(t), minutes=int(t["M"]), seconds=int(t["S"] or 0))
        return _check(value - _offset(t["tz"]), "day", now)
    return None


def _fallback(s: str, raw: str, now: datetime) -> tuple[datetime | None, str | None, str]:
    """dateparser, for the rare shapes above missed; absolute dates with a year only."""
    global _dateparser
    if len(s) > 100 or not re.search(r"\d{4}|\d{1,2}\W+\d{1,2}\W+\d\d", s) or not re.search(r"[^\W\d_]", s):
        return None, None, f"unrecognised date format: {raw!r}"
    if _dateparser is None:
        from dateparser.date import DateDataParser

        _dateparser = DateDataParser(settings={
            "PARSERS": ["timestamp", "absolute-time"],
            "REQUIRE_PARTS": ["year"],
            "RETURN_AS_TIMEZONE_AWARE": True,
            "TO_TIMEZONE": "UTC",
            "PREFER_DAY_OF_MONTH": "first",
        })
    try:
        data = _dateparser.get_date_data(s)
    except (ValueError, OverflowError, TypeError):
        data = None
    if data is None or data.date_obj is None:
        return None, None, f"unrecognised date format: {raw!r}"
    value = data.date_obj.astimezone(timezone.utc).replace(tzinfo=None)
    precision = {"month": "month", "year": "year"}.get(data.period, "day")
    if precision != "day":
        value = value.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        if precision == "year":
            value = value.replace(month=1)
    return _check(value, precision, now)


def _check(value: datetime | str, precision: str, now: datetime) -> tuple[datetime | None, str | None, str]:
    if isinstance(value, str):
        return None, None, value
    if value < EARLIEST:
        return None, None, f"implausibly early date: {value:%Y-%m-%d}"
    if value == datetime(1970, 1, 1):
        return None, None, "epoch zero (1970-01-01), a placeholder rather than a date"
    if value > now + FUTURE_SLACK:
        return None, None, f"date in the future: {value:%Y-%m-%d}"
    return value, precision, ""


def parse_metadata_date(raw: str | None, now: datetime | None = None,
                        dayfirst: bool | None = False, source: str = "metadata") -> PubDate | None:
    """Read a structured date value (meta tag, feed field, table column).

    Understands ISO 8601 ("2017-04-05", "2017-04-05T09:14:00+03:00", "2017-04" -> month,
    "2013" -> year), RFC 822 feed dates ("Wed, 05 Apr 2017 09:14:00 GMT"), epoch seconds or
    milliseconds, "April 2017" (month), "April 5, 2017", D.M.Y / D-M-Y with dots or dashes,
    and slash dates: US order ("4/5/17" is 5 April) unless the first number is over 12,
    `dayfirst=True` for columns known to be day-first, `dayfirst=None` to reject ambiguous
    ones (see `infer_dayfirst`). Times with a zone are converted to naive UTC.

    Returns None for anything that is not a plausible publication date: unparseable text,
    impossible calendar dates (2017-02-30), dates before 1900, epoch zero, or dates more than
    a day after `now` (default: the current UTC time). `metadata_date_problem` says why.
    """
    if raw is None:
        return None
    value, precision, _ = _parse(str(raw), _now(now), dayfirst)
    return PubDate(value, precision, source) if value is not None else None


def metadata_date_problem(raw: str | None, now: datetime | None = None,
                          dayfirst: bool | None = False) -> str | None:
    """Why `parse_metadata_date` rejects `raw` (a sentence for the errors table), or None if it accepts it."""
    if raw is None:
        return "no value"
    value, _, reason = _parse(str(raw), _now(now), dayfirst)
    return None if value is not None else reason


def infer_dayfirst(values: Iterable[str | None]) -> bool | None:
    """Decide the day/month order of a column of slash dates ("4/5/17") from all its values.

    True when some value only reads day-first (13/4/17), False when some only reads
    month-first (4/13/17) or when nothing in the column decides (US order is the default for
    slash dates), None when the column contradicts itself.
    """
    day_first = month_first = False
    for value in values:
        m = _NUMERIC.fullmatch((value or "").strip())
        if not m or m["sep"] != "/":
            continue
        a, b = int(m["a"]), int(m["b"])
        day_first |= a > 12 >= b
        month_first |= b > 12 >= a
    if day_first and month_first:
        return None
    return day_first


def _text_match_value(m: re.Match) -> datetime | str:
    """The date a `_TEXT_DATE` match denotes, or why it is none."""
    g = m.groupdict()
    if g["d1"]:
        y, mo, d = g["y1"], _EN_MONTHS[g["m1"].rstrip(".").lower()], g["d1"]
    elif g["m2"]:
        y, mo, d = g["y2"], _EN_MONTHS[g["m2"].rstrip(".").lower()], g["d2"]
    elif g["m3"]:
        y, mo, d = g["y3"], _EN_MONTHS[g["m3"].rstrip(".").lower()], g["d3"]
    elif g["iy"]:
        y, mo, d = g["iy"], int(g["im"]), g["id"]
    elif g["n1"]:
        a, b = int(g["n1"]), int(g["n2"])
        if g["sep"] == "/" and a <= 12 and b <= 12 and a != b:
            return "ambiguous day/month order"
        # Dots and dashes (and slashes in prose outside the US) are day-first; a value over 12 decides.
        mo, d = (a, b) if a <= 12 < b else (b, a)
        y = g["ny"]
    else:
        y, mo, d = g["ay"], _AR_MONTHS[re.sub(r"\s+", " ", g["am"])], g["ad"]
    return _build(int(y), int(mo), int(d))


def _find_text_date(text: str, now: datetime) -> tuple[datetime, int, int] | None:
    """The dateline date in `text`: (value, start, end) of the best candidate, or None.

    Candidates are day-precision dates in the first TEXT_WINDOW characters. A date at the very
    start or after a marker ("Posted on", "Published", "Date of publication") wins at once;
    otherwise the first date that is not introduced by a preposition ("since", "in", "on"...),
    which is how historical dates mentioned in passing look. Past the window only
    marker-introduced dates count.
    """
    window = text[:TEXT_WINDOW]
    if not window.isascii() and _NON_ASCII_DIGIT.search(window):   # translate costs ~20 µs a window
        window = window.translate(_DIGITS)
    # Every text date has a four-digit year: a cheap scan rules most dateless windows out.
    year = _HAS_YEAR.search(window)
    for m in _TEXT_DATE.finditer(window, max(0, year.start() - 40)) if year else ():
        value = _text_match_value(m)
        if not isinstance(value, datetime) or _check(value, "day", now)[0] is None:
            continue
        before = window[max(0, m.start() - 30): m.start()]
        if m.start() <= 2 or _MARKER_BEFORE.search(before) or not _PASSING_BEFORE.search(before):
            return value, m.start(), m.end()
    if len(text) > TEXT_WINDOW:
        for marker in _MARKER.finditer(text, TEXT_WINDOW - 40):
            m = _TEXT_DATE.match(text[: marker.end() + 60].translate(_DIGITS), marker.end())
            if m:
                value = _text_match_value(m)
                if isinstance(value, datetime) and _check(value, "day", now)[0] is not None:
                    return value, m.start(), m.end()
    return None


def date_from_text(title: str, body: str, now: datetime | None = None) -> PubDate | None:
    """A publication date printed near the top of the article ("Posted on April 4 2017 by…",
    "Wed 05 Apr 2017", "Monday, 4 April 2017", "05.10.2017", "٥ نيسان ٢٠١٧"), source "text".

    Looks at the body's first 400 characters (then the title), preferring the dateline/byline
    position and skipping dates introduced by a preposition ("since March 2011"); further down
    only an explicit "Published …"/"Updated …" stamp counts. Only day-precision dates are
    taken from text: a bare "April 2017" in prose is almost never the publication date.
    """
    now_ = _now(now)
    for text in (body or "", title or ""):
        found = _find_text_date(text, now_)
        if found:
            return PubDate(found[0], "day", "text")
    return None


def publication_date(metadata_raw: str | None, title: str, body: str,
                     sidecar_raw: str | None = None, now: datetime | None = None) -> PubDate:
    """The article's publication date: explicit metadata, else a date printed in the text,
    else the user's sidecar value, else PubDate(None, None, "none") (never "today").

    A month- or year-precision metadata value gives way to a day-precision date printed in
    the text when that date falls inside it: same answer, more precise.
    """
    now_ = _now(now)
    meta = parse_metadata_date(metadata_raw, now_) if metadata_raw else None
    if meta is not None and meta.precision == "day":
        return meta
    text = date_from_text(title, body, now_)
    if meta is not None:
        if text is not None and text.value.year == meta.value.year and (
                meta.precision == "year" or text.value.month == meta.value.month):
            return text
        return meta
    if text is not None:
        return text
    side = parse_metadata_date(sidecar_raw, now_, source="sidecar") if sidecar_raw else None
    return side if side is not None else PubDate(None, None, "none")


# ---------------------------------------------------------------------------------------------
# Event dates: what day does "on Saturday" mean?

_RELATIVE = re.compile(
    rf"""\b(?:(?P<yday>yesterday|last\s+night)
      | (?P<today>today|tonight|this\s+morning|this\s+afternoon|this\s+evening)
      | (?P<wd>(?:mon|tues|wednes|thurs|fri|satur|sun)day)(?:s|'s|’s)?(?![\s,]+(?:\d|{_MON}\b))
      | (?P<mon>{_MON})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s+\d{{4}})(?!\s*(?:%|km|people|killed))
      | (?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>{_MON})\b(?!,?\s+\d{{4}})
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Lead length searched for the event reference: the first sentence or two of a wire story.
EVENT_WINDOW = 300


def event_date(published: PubDate, title: str, body: str) -> date | None:
    """The day the reported event happened, resolved from the lead relative to `published`.

    News leads date events relative to publication: an article published Wed 5 Apr 2017 that
    says "on Saturday" reports Sat 1 Apr; "yesterday" is 4 Apr; "on March 25" is 25 Mar 2017.
    The first such reference after the dateline (within EVENT_WINDOW characters) wins; a
    weekday is the latest such day on or before publication. Falls back to the publication
    day; None when the publication date is not known to the day.
    """
    if published.value is None or published.precision != "day":
        return None
    pub = published.value.date()
    found = _find_text_date(body or "", datetime.combine(pub, datetime.min.time()) + timedelta(days=2))
    start = found[2] if found else 0
    m = _RELATIVE.search(body or "", start, start + EVENT_WINDOW)
    if m is None:
        return pub
    if m["yday"]:
        return pub - timedelta(days=1)
    if m["today"]:
        return pub
    if m["wd"]:
        back = (pub.weekday() - _WEEKDAYS[m["wd"].lower()[:3]]) % 7
        return pub - timedelta(days=back)
    month = _EN_MONTHS[(m["mon"] or m["mon2"]).rstrip(".").lower()]
    day = int(m["d"] or m["d2"])
    for year in (pub.year, pub.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return pub
        if candidate <= pub:
            return candidate if (pub - candidate).days <= 60 else pub
    return pub
