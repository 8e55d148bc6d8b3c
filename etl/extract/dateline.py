"""The dateline that opens a news story: where it was filed, by which outlet, where the text starts.

    dateline("Amman, Asharq Al-Awsat—A high-ranking ...")
        -> Dateline(place="Amman", outlet="Asharq Al-Awsat", end=22)

Forms recognised, at the start of the body (after a scraped date line such as "Posted on April 4
2017 by Asharq Al-Awsat English" or "Last updated at Aug 012016", which archive scrapes carry):

    BEIRUT (Reuters) -            DAMASCUS, April 4 (Reuters) —      WASHINGTON/BEIRUT (AP) —
    Amman, Asharq Al-Awsat—       Damascus, SANA-                     Aleppo, Syria —
    BEIRUT:                       ISTANBUL —                          Beirut- (after a scraped date line)

A place written in capitals is taken on its shape; a place in ordinary case must be a city or
region the gazetteer knows, so that "Meanwhile — the talks ..." or "Syria: a timeline" is not a
dateline.
"""
from __future__ import annotations

import re

from etl.gazetteer import load
from etl.model import Dateline

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?"

# Date lines that scrapes put before the story (FA-KES and archive pages).
_SCRAPED = re.compile(
    r"\s*(?:"
    rf"Posted on {_MONTH} \d{{1,2}},? \d{{4}} by (?:Asharq Al-Awsat(?: English)?|[A-Z][\w'-]+(?: [A-Z][\w'-]+)?)"
    rf"|Last updated (?:at |on )?{_MONTH} ?\d{{1,2}} ?\d{{4}}(?: \d{{1,2}}:?\d{{2}})?"
    rf"|Published:? (?:{_DAY} )?(?:{_MONTH} \d{{1,2}},? \d{{4}}|\d{{1,2}} {_MONTH},? \d{{4}})"
    rf"|(?:{_DAY} )?(?:{_MONTH} \d{{1,2}},? \d{{4}}|\d{{1,2}} {_MONTH},? \d{{4}})(?: (?:at )?\d{{1,2}}:?\d{{2}}(?: UTC[+-]\d+)?)?"
    r"|\d{1,2}\.\d{1,2}\.\d{4}"
    r")\s+")

_WORD = r"[A-Z][\w'’.]*(?:-[\w'’]+)*"
_PLACE = rf"(?P<place>{_WORD}(?:[ ](?:{_WORD}|al|el|ez|az|ad|as|an|ar|de|la)){{0,3}})(?:/{_WORD}(?: {_WORD})?)?"
_DASH = r"(?:—|–|--| -|- |(?<=[A-Z]{2})-(?=[A-Z\"“]))"   # "SANA-The", never "Al-Awsat"
_START = r"(?=[A-Z0-9\"“‘'(])"

# PLACE[, Month d] (Outlet) -
_WITH_AGENCY = re.compile(
    rf"{_PLACE},?\s*(?:(?P<date>{_MONTH} \d{{1,2}}(?:,? \d{{4}})?)\s*)?\((?P<outlet>[^()\n]{{2,40}})\)\s*(?:{_DASH}|:)?\s*{_START}")
# PLACE, Outlet-or-Country —
_WITH_COMMA = re.compile(rf"{_PLACE},\s*(?P<outlet>[A-Z][^,\n—–:()]{{0,40}}?)\s*{_DASH}\s*{_START}")
# PLACE: / PLACE — / Beirut-
_BARE = re.compile(rf"{_PLACE}\s*(?::|{_DASH})\s*{_START}")
# BEIRUT A Russian helicopter ... (capitals, no separator; only after a scraped date line)
_CAPS_ONLY = re.compile(r"(?P<place>[A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+){0,2})\s+(?=[A-Z])")
# "... Defies the World Beirut London- Warplanes": a separator after places, further in.
_LATE_SEPARATOR = re.compile(r"(?<=[a-z])\s?(?:—|–|-)\s+(?=[A-Z\"“])")


def _known(name: str, *, any_kind: bool = False):
    places = load().lookup(name)
    if any_kind:
        return places
    return [p for p in places if p.kind in ("city", "region")]


def _place_ok(place: str, *, agency: bool) -> bool:
    if place.isupper() and len(place) >= 3:
        return bool(_known(place, any_kind=True)) or agency
    if agency:
        return True
    return bool(_known(place))


def _clean(place: str) -> str:
    place = place.split("/")[0].strip(" ,.")
    return place.title() if place.isupper() else place


def _is_date(text: str) -> bool:
    return bool(re.match(rf"{_MONTH} \d", text))


def _at(body: str, pos: int, *, after_scrape: bool) -> Dateline | None:
    m = _WITH_AGENCY.match(body, pos)
    if m and _place_ok(m["place"], agency=True):
        return Dateline(_clean(m["place"]), m["outlet"].strip(), m.end())
    m = _WITH_COMMA.match(body, pos)
    if m and _place_ok(m["place"], agency=False):
        outlet = m["outlet"].strip()
        # "Aleppo, Syria —" names a country, "Damascus, SANA-" an agency (an acronym, even one
        # that folds like a place: SANA / Sanaa).
        agency = outlet.isupper() and len(outlet) <= 6 and outlet.isalpha()
        if _is_date(outlet) or (not agency and _known(outlet, any_kind=True)):
            outlet = None
        return Dateline(_clean(m["place"]), outlet, m.end())
    m = _BARE.match(body, pos)
    if m and _place_ok(m["place"], agency=False) and len(m["place"]) <= 30:
        return Dateline(_clean(m["place"]), None, m.end())
    if after_scrape:
        m = _CAPS_ONLY.match(body, pos)
        if m and len(m["place"]) >= 4 and _known(m["place"]):
            return Dateline(_clean(m["place"]), None, m.end())
    return None


def _late(body: str, pos: int) -> Dateline | None:
    """A dateline after a scraped byline and headline: the last run of known places before a dash."""
    for sep in _LATE_SEPARATOR.finditer(body, pos, min(len(body), pos + 400)):
        words = body[max(pos, sep.start() - 60):sep.start()].split()
        places = []
        while words:
            for size in (3, 2, 1):
                name = " ".join(words[-size:]).strip(",")
                if len(words) >= size and name[:1].isupper() and _known(name):
                    places.insert(0, name)
                    del words[-size:]
                    break
            else:
                break
        if places:
            return Dateline(_clean(places[0]), None, sep.end())
    return None


def dateline(body: str) -> Dateline | None:
    """The dateline at the start of `body`, or None when the story opens without one."""
    pos = len(body) - len(body.lstrip())
    scraped = _SCRAPED.match(body, pos)
    if scraped:
        found = _at(body, scraped.end(), after_scrape=True)
        if found is None and (" by " in scraped.group() or body.startswith("by ", scraped.end())):
            # Archive bylines run on into the headline; the dateline follows them.
            found = _late(body, scraped.end())
        byline = re.search(r" by (Asharq Al-Awsat)", scraped.group())
        if found and found.outlet is None and byline:
            found = Dateline(found.place, byline.group(1), found.end)
        return found
    return _at(body, pos, after_scrape=False)
