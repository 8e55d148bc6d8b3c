"""The publication date of an HTML page: its declared dates (JSON-LD, meta tags, microdata,
`<time pubdate>`, the URL) against htmldate's guess."""
from __future__ import annotations

import re
from datetime import date, timedelta

from etl.readers.metadata.page import PageFacts


# a date in a URL path: /2019/10/30/, /2019-10-30-, /20191030/
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)")
_PUBLISHED_META = ("article:published_time", "og:article:published_time", "article.published",
                   "datepublished", "publishdate", "publish-date", "publish_date", "pubdate",
                   "dc.date.issued", "dcterms.issued", "dc.date.created", "dcterms.created", "dc.date",
                   "sailthru.date", "parsely-pub-date", "date", "article_date_original", "original-publish-date",
                   "cxenseparse:recs:publishtime", "og:published_time", "release_date")


def published_candidates(facts: PageFacts) -> list[tuple[str, str]]:
    """(source, raw value) of the page's declared publication dates, most trusted first:
    JSON-LD datePublished, the publication meta tags, microdata, <time pubdate>, a date in
    the URL. A modification date is never among them."""
    out = []
    if facts.ld_published:
        out.append(("json-ld datePublished", facts.ld_published))
    for key in _PUBLISHED_META:
        if facts.meta.get(key):
            out.append((f"meta {key}", facts.meta[key]))
    if facts.itemprop_published:
        out.append(("itemprop datePublished", facts.itemprop_published))
    if facts.time_pubdate:
        out.append(("time pubdate", facts.time_pubdate))
    if facts.time_published:
        out.append(("time class published", facts.time_published))
    match = _URL_DATE.search(facts.url or "")
    if match:
        out.append(("url", "-".join(match.groups())))
    return out


_ISO_DAY = re.compile(r"\s*(\d{4})-(\d\d?)-(\d\d?)(?:$|[T\s])|\s*(\d{4})(\d\d)(\d\d)T")


def local_day(raw: str) -> tuple[date | None, str | None]:
    """(the calendar day a date value names where it was written, why it is impossible).

    "2022-05-03T22:08:20-04:00" is 3 May, the page's day, not 4 May in UTC. The day is None
    when the value is not a date to the day; the reason is set only when it has a date's
    shape but names no real or plausible day ("1900-02-30", "0000-00-00", "2999-01-01").
    """
    from etl.extract.dates import metadata_date_problem, parse_metadata_date

    match = _ISO_DAY.match(raw or "")
    if match:
        y, m, d = (int(x) for x in (match.groups()[:3] if match[1] else match.groups()[3:]))
        try:
            day = date(y, m, d)
        except ValueError:
            return None, f"no such day: {raw.strip()!r}"
        problem = metadata_date_problem(day.isoformat())
        return (None, problem) if problem else (day, None)
    parsed = parse_metadata_date(re.sub(r"\s*(?:[+-]\d\d:?\d\d|Z|GMT|UTC)$", "", raw or ""))
    return (parsed.value.date() if parsed is not None and parsed.precision == "day" else None), None


def _written(data: bytes, day: date, month_only: bool) -> bool:
    """Whether the page writes out this day (or, with `month_only`, this month) anywhere:
    htmldate turns a bare year into 1 January and a month into its first day. Only the text
    around each occurrence of the year is searched (a page holds few)."""
    y, m = day.year, day.month
    if month_only:
        pattern = re.compile(rf"{y}[-/.]0?{m}\b|\b0?{m}[-/.]{y}".encode())
    else:
        pattern = re.compile(
            rf"{y}[-/.]0?{m}[-/.]0?1\b|\b0?1[-/.]\s?0?{m}[-/.]\s?{y}|\b0?1(?:st|\.|er|º)?\s+(?:of\s+|de\s+)?"
            rf"[^\W\d]{{3,10}}\.?,?\s+{y}|[^\W\d]{{3,10}}\.?\s+0?1(?:st)?,?\s+{y}".encode(), re.IGNORECASE)
    year = str(y).encode()
    at = data.find(year)
    while at >= 0:
        if pattern.search(data, max(0, at - 30), at + 30):
            return True
        at = data.find(year, at + 4)
    return False


def _year_outside_addresses(data: bytes, year: int) -> bool:
    """Whether the page writes this year anywhere but as a path segment of an address
    ("/2010/"): in its text, a copyright line, a date."""
    y = str(year).encode()
    at = data.find(y)
    while at >= 0:
        before, after = data[at - 1:at], data[at + 4:at + 5]
        if not (before == b"/" and after in (b"/", b"-", b"_")) and not before.isdigit() and not after.isdigit():
            return True
        at = data.find(y, at + 4)
    return False


def _modified_days(facts: PageFacts) -> set[date]:
    """The days of the page's declared modification dates."""
    raws = [value for key, value in facts.meta.items() if "modified" in key or "updated" in key]
    if facts.ld_modified:
        raws.append(facts.ld_modified)
    return {day for day in (local_day(raw)[0] for raw in raws) if day is not None}


def choose_date(facts: PageFacts, guessed: str | None, data: bytes) -> tuple[str | None, list[str]]:
    """(the publication date to store, the impossible declared dates found on the way).

    The declared publication dates (`published_candidates`) come first; htmldate's guess
    (`guessed`, "YYYY-MM-DD") is taken when it agrees with one of them, or when the page
    declares none. A guess of 1 January (or of the 1st) that the page never writes out is
    htmldate's reading of a bare year (month): it is kept as "YYYY" ("YYYY-MM"), which the
    date parser stores with year (month) precision, never as a day. Declared dates that
    disagree by more than a day lose those equal to the page's modification date.
    """
    days, problems = [], []
    candidates = published_candidates(facts)
    if not candidates:      # microdata on a <span> or <div>: read only when nothing else declares a date
        candidates = published_candidates(facts.bylines())
    for source, raw in candidates:
        day, problem = local_day(raw)
        if day is not None:
            days.append(day)
        elif problem:
            problems.append(f"{source}: {problem}")
    if len(set(days)) > 1:
        # declared publication dates that disagree: one equal to the modification date is
        # the CMS stamping the last edit into a "published" field (`datePublished` and
        # `itemprop` = the update, `article:published_time` = the story). Days a day apart
        # are one instant in two time zones, not an edit.
        modified = _modified_days(facts)
        kept = [d for d in days if d not in modified]
        if kept and min(kept) <= max(days) - timedelta(days=2):
            days = kept
    try:
        guess = date.fromisoformat(guessed[:10]) if guessed else None
    except ValueError:
        guess = None
    if guess is not None and (guess in days or not days):
        if guess.day == 1 and guess not in days and not _written(data, guess, month_only=False):
            if guess.month == 1 and not _written(data, guess, month_only=True):
                # a year the page writes only inside addresses ("/jpg/2010/28303870/…" of its
                # images) dates nothing
                return (f"{guess.year}" if _year_outside_addresses(data, guess.year) else None), problems
            return f"{guess.year}-{guess.month:02d}", problems
        return guess.isoformat(), problems
    return (days[0].isoformat() if days else None), problems
