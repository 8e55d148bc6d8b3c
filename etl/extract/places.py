"""Places in an article: every gazetteer place named, its role, and what the story is about.

One Aho-Corasick pass per field finds every surface form of every place; word boundaries,
a few context vetoes ("Jordan River", "Al Mayadeen TV") and namesake resolution (Tripoli in
Lebanon or Libya) are then decided in Python on the few hits. Names are matched with their
capitalisation ("Turkey", not "turkey"); Arabic names match with or without a one-letter
proclitic (و ب ل ف ك).
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from typing import NamedTuple

import ahocorasick

from etl.gazetteer import FOCUS_COUNTRIES, Gazetteer, Place, load
from etl.model import Doc, Evidence, PlaceMention

FIELDS = ("title", "caption", "body")
FIELD_WEIGHT = {"title": 3.0, "caption": 1.0, "body": 1.0}
DEMONYM_WEIGHT = 0.5
DATELINE_WEIGHT = 0.3
LEAD_WEIGHT = 2.0          # an occurrence in the first LEAD_CHARS of the body
LEAD_CHARS = 400
PLACE_WEIGHT = 2.0         # a city or region, towards its country
CAPITAL_WEIGHT = 0.5       # a national capital towards its country: often it stands for the government
SNIPPET = 60
ARABIC_PROCLITICS = "وبلفك"

# Following / preceding words that mean the name is not the place.
VETO_NEXT = {
    "Jordan": {"River", "river", "Valley", "valley"},
    "Al Mayadin": {"TV", "channel", "Channel", "television"},
    "Al-Mayadin": {"TV", "channel", "Channel", "television"},
    "Georgia": {"Tech"},
    "Aleppo": {"soap", "pepper"},
}
VETO_PREV = {"Jordan": {"River", "river", "Michael"}}
# "Xs" is read as the possessive "X's" (scraped text often drops apostrophes), except where
# "Xs" is another word: "Hamas".
NO_POSSESSIVE = {"Hama"}


# "Idlib province", "countryside of Hama", "rural Damascus": the governorate, not the city.
QUALIFIER_AFTER = re.compile(r"'?s? (?:[Pp]rovinces?|[Gg]overnorate|[Cc]ountryside)\b")
QUALIFIER_BEFORE = tuple(f"{w} of " for w in ("province", "Province", "governorate", "Governorate", "countryside",
                                                "Countryside", "suburbs", "outskirts")) + (" rural ", " Rural ", "Reef ", "Rif ")
NEXT_WORD = re.compile(r" (\w+)")
ARABIC_LETTER = re.compile("[\u0600-\u06FF]")


class Candidates(NamedTuple):
    """The places one surface form may mean, and the country they all share (if they do)."""

    places: tuple[Place, ...]
    country: str | None


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06FF"


class PlaceFinder:
    """Built once from the gazetteer; `find` and `primary` are then pure and cheap."""

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gazetteer = gazetteer or load()
        # Two automata. Latin names start with an ASCII capital, so the root has 26 children and
        # the scan stays fast (names with a diacritic first letter also exist ASCII-folded);
        # Arabic names are scanned only in text that has Arabic letters.
        self._latin = ahocorasick.Automaton()
        self._arabic = ahocorasick.Automaton()
        aliases = self.gazetteer.by_alias
        for alias, places in aliases.items():
            if _is_arabic(alias[0]):
                self._arabic.add_word(alias, (alias, self._prune(places)))
            elif "A" <= alias[0] <= "Z" or (alias.startswith("al-") and alias[3:] not in aliases
                                           and alias[3:].capitalize() not in aliases):
                self._latin.add_word(alias, (alias, self._prune(places)))
        self._latin.make_automaton()
        self._arabic.make_automaton()
        self._regions = {(p.country_code, p.name): p for p in self.gazetteer.places if p.kind == "region"}

    @staticmethod
    def _prune(places: list[Place]) -> Candidates:
        """Namesakes for one surface form, less a region when a city of the same name lies in it
        ("Homs" is the city, which implies the region)."""
        cities = {(p.country_code, p.region) for p in places if p.kind == "city"}
        kept = tuple(p for p in places if not (p.kind == "region" and (p.country_code, p.name) in cities))
        codes = {p.country_code for p in kept if p.strong}
        return Candidates(kept, next(iter(codes)) if len(codes) == 1 else None)

    # -- matching -------------------------------------------------------------------------

    def _hits(self, text: str) -> list[tuple[int, int, Candidates, bool]]:
        """Longest non-overlapping matches on word boundaries: (start, end, candidates, region_qualified)."""
        raw = []
        n = len(text)
        scans = [self._latin.iter(text)]
        if ARABIC_LETTER.search(text):
            scans.append(self._arabic.iter(text))
        for scan in scans:
            for end_index, (alias, places) in scan:
                end = end_index + 1
                start = end - len(alias)
                if start > 0:
                    ch = text[start - 1]
                    if ch.isalnum() and not (ch in ARABIC_PROCLITICS and _is_arabic(alias[0])
                                             and (start == 1 or not text[start - 2].isalnum())):
                        continue
                if end < n and text[end].isalnum():
                    # Scraped text often drops apostrophes: "Aleppos" is "Aleppo's".
                    if not (text[end] == "s" and (end + 1 == n or not text[end + 1].isalnum())
                            and len(alias) >= 4 and alias[-1] not in "sS" and alias.isascii()
                            and alias not in NO_POSSESSIVE):
                        continue
                if alias in VETO_NEXT:
                    following = NEXT_WORD.match(text, end)
                    if following and following.group(1) in VETO_NEXT[alias]:
                        continue
                if alias in VETO_PREV and text[max(0, start - 12):start].rstrip().rsplit(" ", 1)[-1] in VETO_PREV[alias]:
                    continue
                raw.append((start, end, places))
        if len(raw) > 1:
            raw.sort(key=lambda h: (h[0], h[0] - h[1]))
            chosen = []
            last_end = -1
            for hit in raw:
                if hit[0] >= last_end:
                    chosen.append(hit)
                    last_end = hit[1]
            raw = chosen
        hits = []
        for start, end, places in raw:
            qualified = False
            if places.places[0].kind == "city":
                after = QUALIFIER_AFTER.match(text, end)
                if after:
                    end, qualified = after.end(), True
                else:
                    before = text[max(0, start - 16):start]
                    if before.endswith(QUALIFIER_BEFORE):
                        qualifier = next(q for q in QUALIFIER_BEFORE if before.endswith(q))
                        start, qualified = start - len(qualifier.lstrip()), True
            hits.append((start, end, places, qualified))
        return hits

    def _resolve(self, candidates: tuple[Place, ...], context: dict[str, float]) -> Place | None:
        """Pick one namesake: its country named elsewhere in the story wins, then size and kind."""
        if len(candidates) == 1:
            only = candidates[0]
            return only if only.strong or only.country_code in context else None
        best, best_score = None, -1.0
        for place in candidates:
            if not place.strong and place.country_code not in context:
                continue
            if place.kind == "country":
                score = 4.0
            elif place.kind == "demonym":
                score = 3.5
            elif place.kind == "region":
                score = 2.5 if place.country_code in FOCUS_COUNTRIES else 1.0
            else:
                score = math.log10(place.population + 10) / 2
            if place.country_code in FOCUS_COUNTRIES:
                score += 0.5
            score += min(context.get(place.country_code, 0.0), 3.0)
            if score > best_score:
                best, best_score = place, score
        return best

    def find(self, doc: Doc, dateline_place: str | None = None) -> list[PlaceMention]:
        """Every place the document names, one mention per (place, role).

        `dateline_place` is the place string of the article's dateline (etl.extract.dateline);
        its first occurrence near the start of the body becomes the "dateline" mention and is
        not counted again as "mentioned".
        """
        hits = []
        for field in FIELDS:
            text = getattr(doc, field) or ""
            if text:
                hits.extend((field, s, e, c, q) for s, e, c, q in self._hits(text))

        dateline_span = None
        dateline_candidates: tuple[Place, ...] = ()
        if dateline_place:
            dateline_candidates = self._prune(self.gazetteer.lookup(dateline_place)).places
            head = doc.body[:600].casefold()
            at = head.find(dateline_place.casefold())
            if at >= 0:
                dateline_span = (at, at + len(dateline_place))
            if dateline_candidates:
                dateline_candidates = tuple(p for p in dateline_candidates if p.kind != "demonym") or dateline_candidates

        # Countries named unambiguously give context for resolving namesakes.
        context: dict[str, float] = defaultdict(float)
        for _, _, _, cands, _ in hits:
            if cands.country:
                context[cands.country] += 1.0

        grouped: dict[str, tuple[Place, list[Evidence]]] = {}
        resolved: dict[int, Place | None] = {}
        texts = {"title": doc.title, "caption": doc.caption, "body": doc.body}
        for field, start, end, cands, qualified in hits:
            if field == "body" and dateline_span and start < dateline_span[1] and end > dateline_span[0]:
                continue
            key = id(cands)
            place = resolved[key] if key in resolved else resolved.setdefault(key, self._resolve(cands.places, context))
            if place is None:
                continue
            if qualified and place.kind == "city" and place.region:
                place = self._region_of(place)
            key = f"country:{place.country_code}" if place.kind == "demonym" else place.place_id
            entry = grouped.get(key)
            if entry is None:
                entry = grouped[key] = (place, [])
            entry[1].append(_evidence(field, texts[field], start, end))

        mentions = []
        if dateline_candidates:
            place = self._resolve(dateline_candidates, context) or dateline_candidates[0]
            if dateline_span:
                ev = [_evidence("body", doc.body, *dateline_span)]
            else:
                ev = []
            mentions.append(self._mention(place, "dateline", ev))
        for place, evidence in grouped.values():
            mentions.append(self._mention(place, "mentioned", evidence))
        return mentions

    def _region_of(self, city: Place) -> Place:
        """The governorate a qualified city name means; around the capital that is Rif Dimashq."""
        if (city.country_code, city.region) == ("SY", "Damascus"):
            return self._regions.get(("SY", "Rif Dimashq"), city)
        return self._regions.get((city.country_code, city.region), city)

    def _mention(self, place: Place, role: str, evidence: list[Evidence]) -> PlaceMention:
        if place.kind in ("demonym", "country"):
            country = self.gazetteer.country(place.country_code)
            name = country.name if country else place.country_code
            return PlaceMention(f"country:{place.country_code}", name, "country", place.country_code,
                                None, None, None, role, evidence)
        return PlaceMention(place.place_id, place.name, place.kind, place.country_code, place.region,
                            place.lat, place.lon, role, evidence)

    # -- aboutness ------------------------------------------------------------------------

    def primary(self, mentions: list[PlaceMention], *, dateline_weight: float = DATELINE_WEIGHT
                ) -> tuple[str | None, str | None]:
        """The one country and one ADM1 region the story is about.

        Each occurrence counts for its country and (cities and regions) its region: the title
        three times, the lead paragraph twice. A city or region says more about where
        a story happens than a country name; a demonym ("Syrian") or a capital standing for
        its government ("Ankara said") says less about the country, and the dateline counts only a little,
        because a story filed from Amman is usually about somewhere else.
        """
        country_score: dict[str, float] = defaultdict(float)
        region_score: dict[tuple[str, str], float] = defaultdict(float)
        first_seen: dict[str, int] = {}
        for order, m in enumerate(mentions):
            place = self.gazetteer.by_id.get(m.place_id)
            capital = place is not None and place.capital
            weight = 0.0
            for ev in m.evidence or [None]:
                if ev is None:
                    w = 1.0
                elif ev.field == "body":
                    w = LEAD_WEIGHT if ev.start < LEAD_CHARS else 1.0
                else:
                    w = FIELD_WEIGHT[ev.field]
                if m.kind == "country" and ev is not None and self._is_demonym(ev.text, m.country_code):
                    w *= DEMONYM_WEIGHT
                weight += w
            if m.role == "dateline":
                weight *= dateline_weight
            kind_weight = CAPITAL_WEIGHT if capital else PLACE_WEIGHT if m.kind in ("city", "region") else 1.0
            country_score[m.country_code] += weight * kind_weight
            first_seen.setdefault(m.country_code, order)
            if m.region and m.kind in ("city", "region"):
                region_score[(m.country_code, m.region)] += weight
        if not country_score:
            return None, None
        country = max(country_score, key=lambda c: (country_score[c], -first_seen[c]))
        regions = {r: s for (c, r), s in region_score.items() if c == country}
        region = max(regions, key=regions.get) if regions else None
        return country, region

    def _is_demonym(self, text: str, country_code: str) -> bool:
        place = self.gazetteer.by_id.get(f"demonym:{country_code}")
        if place is None:
            return False
        return text in place.aliases or (text.endswith("s") and text[:-1] in place.aliases)


def _evidence(field: str, text: str, start: int, end: int) -> Evidence:
    lo = start - SNIPPET if start > SNIPPET else 0
    return Evidence(field, start, end, text[start:end], text[lo:end + SNIPPET])
