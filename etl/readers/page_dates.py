"""The dates an HTML page prints for its readers, and the publication date they confirm.

The markup's publication date (`metadata.published.choose_date`) is checked against what the page
shows. A page's metadata and its printed date part ways in a few recurring ways:
* a timestamp given in UTC ("2021-11-04T23:00Z", "Wed, 04 May 2022 00:25:56 GMT") falls on
  another day where the story was written, and the page prints that local day;
* the page prints its update date ("Updated March 14, 2021") and not the first publication
  date of its markup, or its markup's `datePublished` is a date the page never shows;
* the page declares no date, and htmldate's guess comes from elsewhere on the page (a related
  story, the footer, a date read month-first) while the date printed by the headline is
  the story's.

So: when the chosen date is printed nowhere on the page, the first printed date that one of
the page's other declared dates (modification dates, the local days of a UTC timestamp,
htmldate's guess) names is taken; failing that, on a page that declares no publication date,
or declares it only in a generic field (`<meta name="date">`, `dc.date`: the last save on some
sites), the first unambiguous date printed next to the headline. A chosen date the page prints is
kept, unless it is printed only away from the headline (a list of stories, the footer) and
another of the page's declared dates is printed next to it, or the page declares no date and
another date is printed right under the headline.

On a page that declares no publication date, a date printed after a publication label
("Veröffentlicht am 16.08.2019", "Written: 2023-11-07", "Datum: 18.10.2021") wins over
htmldate's guess, which often comes from a comment or a list of other stories.
"""
from __future__ import annotations

import functools
import re
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime

from lxml import etree


# where a printed date may stand relative to the headline (characters of visible text):
# bylines sit just above or below it, related stories and comments further away
HEADLINE_BEFORE = 300
HEADLINE_AFTER = 600
# how far from UTC the day a UTC timestamp names is looked for (hours each way): the
# Americas to East Asia and Australia's east coast
UTC_REACH = 10

_HIDDEN = ("script", "style", "noscript", "template")
# a year, also when the markup glues the time printed in the next element to it ("<time>3 de
# mayo de 2022</time><time>21:25</time>" reads "3 de mayo de 202221:25")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?:(?!\d)|(?=\d\d:\d\d(?!\d)))")
# what may stand before a year in a printed date: "14.03.", "14/3/", "14 March ", "14. März ",
# "3 de mayo de ", "March 14, ", "Mar. 14th "
_BEFORE_YEAR = re.compile(
    r"(?:(?<!\d)(\d\d?)\.\s?(\d\d?)\.\s?|(?<!\d)(\d\d?)/(\d\d?)/|(?<!\d)(\d\d?)-(\d\d?)-"
    r"|(?<!\d)(\d\d?)(?:st|nd|rd|th|er|º|\.)?\s*(?:of\s+|de\s+)?([^\W\d_]{3,})\.?,?\s*(?:de\s+)?"
    r"|(?<![^\W\d_])([^\W\d_]{3,})\.?\s+(\d\d?)(?:st|nd|rd|th)?,?\s+)$", re.IGNORECASE)
# and after it: "2021-03-14", "2021/3/14", "2021.03.14"
_AFTER_YEAR = re.compile(r"([-/.])(\d\d?)\1(\d\d?)(?!\d)")
# "31.10.23": day, month and a two-digit year, as German and Swiss news sites print them
_SHORT_DMY = re.compile(r"(?<![\d.])(\d\d?)\.(\d\d?)\.(\d\d)(?![\d.])")
_SPACES = re.compile(r"\s+")
# a capitalised word at the end of a word that begins lower-case or with a capital of its own
_GLUED_MONTH = re.compile(r"(?<=[^\W\d_])[A-ZÀ-ÖØ-Þ][^\W\d_A-ZÀ-ÖØ-Þ]{2,}$")
_UTC_SUFFIX = re.compile(r"(?:Z|GMT|UTC|[+-]00:?00)\s*$", re.IGNORECASE)
_ISO_TIME = re.compile(r"\s*(\d{4})-(\d\d?)-(\d\d?)[T ](\d\d?):(\d\d)")

_MONTH_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "fi", "sv", "da", "nb", "pl", "cs", "tr", "ru",
                    "uk", "ar", "id", "hu", "ro", "el", "ca")
_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december")


@functools.cache
def month_numbers() -> dict[str, int]:
    """Lower-cased month names and abbreviations (dateparser's, in the languages of the
    pages read) -> month number. Loaded once, on first use (a quarter of a second)."""
    from dateparser.languages.loader import default_loader

    months: dict[str, int] = {}
    for locale in default_loader.get_locales(languages=list(_MONTH_LANGUAGES)):
        for number, key in enumerate(_MONTH_KEYS, 1):
            for word in locale.info.get(key, []):
                word = word.lower().rstrip(".")
                if len(word) >= 3 and not any(c.isdigit() for c in word):
                    months.setdefault(word, number)
    return months


def _days(year: int, first: int, second: int, either_order: bool) -> set[date]:
    out = set()
    for month, day in ((second, first), (first, second)) if either_order else ((second, first),):
        try:
            out.add(date(year, month, day))
        except ValueError:
            pass
    return out


def printed_dates(text: str, years: set[int] | None = None, start: int = 0,
                  end: int | None = None) -> list[tuple[int, set[date]]]:
    """(position, the days it may name) of each date written out to the day in a text (or
    in text[start:end], or only in `years`), in order. A slash date ("3/5/2022") names both
    readings that exist; the others name one ("14.03.2021", "31.10.23" and "3-5-2022" day
    first, "2021-03-14", "14 March 2021", "March 14, 2021")."""
    months = None
    out = []
    end = len(text) if end is None else end
    for match in _YEAR.finditer(text, start, end):
        year, at = int(match.group(0)), match.start()
        if years is not None and year not in years:
            continue
        after = _AFTER_YEAR.match(text, match.end())
        if after is not None:
            days = _days(year, int(after.group(3)), int(after.group(2)), either_order=False)
            if days:
                out.append((at, days))
            continue
        before = _BEFORE_YEAR.search(text, max(0, at - 32), at)
        if before is None:
            continue
        g = before.groups()
        if g[0]:
            days = _days(year, int(g[0]), int(g[1]), either_order=False)
        elif g[2]:
            days = _days(year, int(g[2]), int(g[3]), either_order=True)
        elif g[4]:
            days = _days(year, int(g[4]), int(g[5]), either_order=False)
        else:
            months = months or month_numbers()
            word, day = (g[7], g[6]) if g[6] else (g[8], g[9])
            number = months.get(word.lower())
            if number is None and (glued := _GLUED_MONTH.search(word)):
                # a month glued by minified markup to the text before it ("…in HomsMarch 2,
                # 2019": "<h1>…Homs</h1><time>March 2, 2019</time>"): lxml's text joins block
                # elements without a space
                number = months.get(glued.group(0).lower())
            days = _days(year, int(day), number, either_order=False) if number else set()
        if days:
            out.append((before.start(), days))
    for match in _SHORT_DMY.finditer(text, start, end):
        year = 2000 + int(match.group(3))
        if (years is None or year in years) \
                and (days := _days(year, int(match.group(1)), int(match.group(2)), either_order=False)):
            out.append((match.start(), days))
    return sorted(out, key=lambda found: found[0])


def visible_text(tree, headlines: set[str]) -> tuple[str, int | None]:
    """(the text a reader sees on the page, whitespace collapsed, and where the first of
    `headlines` found in it starts). lxml serialises the text in one call; the text of
    scripts, styles and templates is then blanked out."""
    from lxml import etree

    body = tree.find("body")
    root = body if body is not None else tree
    text = etree.tostring(root, method="text", encoding=str, with_tail=False)
    for element in root.iter(*_HIDDEN):
        if element.text and len(element.text) > 3:
            text = text.replace(element.text, " ", 1)
    text = " ".join(text.split())
    # a heading of a word or two ("Bangkok", a kicker) is also a menu entry: a longer one
    # places the headline
    for group in ([h for h in headlines if len(h.split()) >= 3], [h for h in headlines if len(h) > 3]):
        found = [at for at in (text.find(h) for h in group) if at >= 0]
        if found:
            return text, min(found)
    return text, None


def _utc_days(raw: str) -> set[date]:
    """The days a UTC timestamp falls on within UTC_REACH hours of UTC (empty when the value
    has no time or another zone)."""
    if not raw or not _UTC_SUFFIX.search(raw.strip()):
        return set()
    match = _ISO_TIME.match(raw)
    try:
        if match:
            year, month, day, hour, minute = (int(x) for x in match.groups())
            instant = datetime(year, month, day, hour, minute)
        else:
            instant = parsedate_to_datetime(raw.strip()).replace(tzinfo=None)
        # a timestamp at the calendar's edge (year 1 or 9999) has no day on one side
        return {(instant + timedelta(hours=hours)).date() for hours in (-UTC_REACH, 0, UTC_REACH)}
    except (TypeError, ValueError, IndexError, OverflowError):
        return set()


def _declared_day(raw: str) -> date | None:
    from etl.readers.metadata.published import local_day

    return local_day(raw)[0]


def _other_dates(facts, guessed: str | None) -> set[date]:
    """Every day the page's markup names for the story (published, created, modified, the
    local days of its UTC timestamps) and htmldate's guess."""
    from etl.readers.metadata.published import published_candidates

    raws = [raw for _, raw in published_candidates(facts)]
    raws += [value for key, value in facts.meta.items() if "modified" in key or "updated" in key]
    if facts.ld_modified:
        raws.append(facts.ld_modified)
    days = set()
    for raw in raws:
        if (day := _declared_day(raw)) is not None:
            days.add(day)
        days |= _utc_days(raw)
    if guessed:
        try:
            days.add(date.fromisoformat(guessed[:10]))
        except ValueError:
            pass
    return days


# a label that says the date after it is the publication's ("Veröffentlicht am 16.08.2019",
# "Written: 2023-11-07", "Datum: 18.10.2021", "Publié le 3 mai 2020"); an update's label
# ("Aktualisiert", "Updated", "Stand") is not among them
_PUBLISHED_LABEL = re.compile(
    r"(?:ver[öo]ffentlicht|erschienen|publiziert|erstellt|datum|written|published|posted|date|publi[ée]|publicado|"
    r"pubblicato|gepostet)\b(?:\s+(?:am|on|le|el|il|em)\b)?(?:\s*:\s*|\s+)(?=\S)")
# the same, for the rare text whose lower-casing changes its length ("İ")
_PUBLISHED_LABEL_ANY_CASE = re.compile(_PUBLISHED_LABEL.pattern, re.IGNORECASE)
# how far after its label the date may start (a weekday between them: "Dienstag, 6. Mai 2014")
LABEL_REACH = 14


def labelled_date(text: str, start: int = 0, end: int | None = None) -> date | None:
    """The first day printed right after a publication label (`_PUBLISHED_LABEL`) in
    text[start:end], when it names one day."""
    # matched in the lower-cased text (a case-blind pattern costs four times as much)
    lower = text.lower()
    pattern = _PUBLISHED_LABEL if len(lower) == len(text) else _PUBLISHED_LABEL_ANY_CASE
    for match in pattern.finditer(lower if pattern is _PUBLISHED_LABEL else text, start,
                                  len(text) if end is None else end):
        at = match.start()
        if at and text[at - 1].isalpha() and not text[at].isupper():
            continue    # inside a word ("Update"), not a label glued on by the markup ("namedPublished")
        found = printed_dates(text, None, match.end(), match.end() + LABEL_REACH + 40)
        if found and found[0][0] - match.end() <= LABEL_REACH and len(found[0][1]) == 1:
            (day,) = found[0][1]
            from etl.extract.dates import metadata_date_problem

            if metadata_date_problem(day.isoformat()) is None:
                return day
    return None


# the class or id of a comment section ("comments", "comment-list", "commentlist", "disqus_thread")
_COMMENTS = etree.XPath("//body//*[(self::div or self::section or self::ol or self::ul) and "
                        "(contains(@id, 'omment') or contains(@class, 'omment') or contains(@id, 'disqus'))]")
_COMMENT_MARKS = re.compile(r"(?:^|[\s_-])(?:comments?|commentlist|kommentare|commentaires|comentarios|disqus)"
                            r"(?:$|[\s_-])|disqus_thread", re.IGNORECASE)


def _comments_at(tree, text: str, start: int) -> int | None:
    """Where the page's comment section starts in its visible text (`text`, after `start`), or
    None: the first element marked as comments whose text is found there."""
    for element in _COMMENTS(tree):
        if not _COMMENT_MARKS.search(f"{element.get('id', '')} {element.get('class', '')}"):
            continue
        words = " ".join(element.text_content().split())[:60]
        if len(words) >= 10 and (at := text.find(words, start)) >= 0:
            return at
    return None


# generic date fields (`<meta name="date">`, Dublin Core's `dc.date`): on some sites the
# story's date, on others the page's last save; one printed nowhere while the page prints
# another date under its headline is the save
_GENERIC_FIELDS = {"meta date", "meta dc.date"}
# a date and a dash opening a paragraph: a German or wire dateline ("29.11.2022 – ",
# "2 March 2019 — ")
_DATELINE = re.compile(r"[\w.,/ ]{6,24}?(?<!\d)(?:19|20)\d\d\s+[–—-]\s")
_SENTENCE_ENDS = '.!?"“”»«)'


def shown_date(tree, facts, chosen: str | None, guessed: str | None, title: str | None = None) -> str | None:
    """The publication date to store: `chosen` (from the markup, "YYYY[-MM[-DD]]" or None),
    or the date the page prints instead (see the module's docstring). `title` is the chosen
    headline: it places the headline on a page whose headline is no `<h1>` nor entry title
    (an `<h2>`, a paragraph styled as a title)."""
    from etl.extract.dates import metadata_date_problem
    from etl.readers.metadata.published import published_candidates

    try:
        day = date.fromisoformat(chosen) if chosen and len(chosen) == 10 else None
    except ValueError:
        day = None
    others = _other_dates(facts, guessed)
    others.discard(day)
    candidates = published_candidates(facts)
    declared = bool(candidates)
    # declared by a generic field alone, which some CMSs fill with the page's last save
    firm = declared and not all(source in _GENERIC_FIELDS for source, _ in candidates)
    if not others and firm:
        return chosen       # nothing else to confirm, and the page dates itself
    headlines = set(facts.h1) | set(facts.entry_titles) or ({title} if title else set())
    # a heading with a line break reads glued in the serialised text
    headlines |= {facts.glued_headings[h] for h in headlines if h in facts.glued_headings}
    page = facts.tree if facts.tree is not None else tree
    text, headline_at = visible_text(page, headlines)
    # only the years of the page's own dates matter until a date by the headline is wanted
    printed = printed_dates(text, {d.year for d in others} | ({day.year} if day else set()))
    window = (max(0, headline_at - HEADLINE_BEFORE), headline_at + HEADLINE_AFTER) \
        if headline_at is not None else (0, -1)
    if not declared:
        # before the comments, where "Posted on …" opens each comment
        labelled = labelled_date(text, window[0], _comments_at(page, text, window[0]))
        if labelled is not None:
            return labelled.isoformat()
    by_headline = [days for at, days in printed if window[0] <= at <= window[1]]
    if day is not None and any(day in days for _, days in printed):
        if not any(day in days for days in by_headline):
            # printed away from the headline (a list of stories, the footer) while another
            # of the page's dates stands by it
            for days in by_headline:
                if days & others:
                    return min(days & others).isoformat()
            if not declared and headline_at is not None:
                for at, days in printed_dates(text, None, headline_at, headline_at + 250):
                    if len(days) == 1:
                        return next(iter(days)).isoformat()
                # further down, only a dateline opening the story's text ("… the branch
                # says.29.11.2022 – Repeatedly …": a lead paragraph, then the date and a dash)
                for at, days in printed_dates(text, None, headline_at + 250, window[1]):
                    if len(days) == 1 and _DATELINE.match(text, at) and (at == 0 or text[at - 1] in _SENTENCE_ENDS):
                        return next(iter(days)).isoformat()
        return chosen
    for _, days in printed:
        if days & others:
            return min(days & others).isoformat()
    if not firm and headline_at is not None:
        for at, days in printed_dates(text, None, *window):
            if len(days) == 1:
                (found,) = days
                if metadata_date_problem(found.isoformat()) is None:
                    return found.isoformat()
    return chosen
