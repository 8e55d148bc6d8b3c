"""People and organisations mentioned in an article, normalised so one real-world entity is one
`Entity` with its evidence.

Two sources of names, found in one Aho-Corasick pass per field:

* the curated table `etl/data/people.toml`: well-known people and organisations with their
  aliases ("Assad", "President Assad", "Bashar Assad" -> bashar-al-assad; "FSA" ->
  free-syrian-army). Longest match wins, so "Hafez al-Assad" stays his own person.
* a grammar for people the table does not know: a rank or role ("Brigadier General",
  "former Syrian premier", "spokesman") followed by capitalised name tokens, and appositions
  ("Rami Abdel Rahman, the head of the Observatory"). Later bare-surname mentions of a person
  found either way ("Khalouf and his family") count for that person.

Pure: `EntityFinder` is built once (it reads the table and the place names of
the gazetteer to reject "General Damascus"-style junk); `find` does no I/O.

Why one file of over 500 lines: it is one algorithm, `EntityFinder` and the grammar's steps,
plus some 130 lines of the grammar's word lists (titles, modifiers, words that are never
names) that nothing else reads; the scan, the name cleaning and the surname linking share
those lists and the finder's tables.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ahocorasick_rs

from etl.model import Doc, Entity, Evidence

DATA_PATH = Path(__file__).resolve().parents[1] / "data" / "people.toml"

# Rank and role words that introduce a name ("Brigadier General Mohammed Khalouf"). Capitalised
# forms always count; the lower-case form only where the word is unambiguous before a name
# ("spokesman Ahmed Hamada", "Syrian president Bashar al-Assad", but not "in general Assad...").
_TITLES_CAPITALISED = """
Field Marshal|Brigadier General|Brig. Gen.|Brig Gen|Major General|Maj. Gen.|Maj Gen|
Lieutenant General|Lt. Gen.|Lt Gen|Lieutenant Colonel|Lt. Col.|Lt Col|Colonel General|Col. Gen.|Col Gen|
General|Gen.|Colonel|Col.|Major|Maj.|Captain|Capt.|Lieutenant|Lt.|First Lieutenant|Sergeant|Sgt.|
Brigadier|Commander|Admiral|Rear Admiral|Vice Admiral|Marshal|Commander-in-Chief|
President|Vice President|Vice-President|Prime Minister|Deputy Prime Minister|Minister|Premier|
Foreign Minister|Defence Minister|Defense Minister|Interior Minister|Information Minister|
Deputy Foreign Minister|Foreign Secretary|Defence Secretary|Defense Secretary|Secretary of State|
Secretary-General|Secretary General|Under-Secretary-General|Ambassador|Envoy|Special Envoy|
Spokesman|Spokeswoman|Spokesperson|Senator|Sen.|Congressman|Congresswoman|Rep.|Governor|Mayor|
Chancellor|Speaker|Judge|Justice|Prosecutor|Chief|Director|Director-General|Chairman|Chairwoman|
Sheikh|Shaikh|Sheik|Imam|Mufti|Grand Mufti|Ayatollah|Grand Ayatollah|Cleric|
King|Queen|Prince|Crown Prince|Emir|Sultan|Pope|Patriarch|Archbishop|Bishop|Father|Cardinal|
Dr.|Dr|Doctor|Professor|Prof.|Mr.|Mr|Mrs.|Mrs|Ms.|Ms|Commissioner|High Commissioner|Leader
"""
_TITLES_LOWER = """
president|vice president|prime minister|minister|premier|foreign minister|defence minister|
defense minister|interior minister|information minister|spokesman|spokeswoman|spokesperson|
envoy|special envoy|ambassador|commander|field commander|rebel commander|military commander|
leader|rebel leader|chief|army chief|intelligence chief|governor|mayor|cleric|imam|activist|
journalist|photographer|reporter|correspondent|analyst|researcher|official|director|chairman|
secretary-general|secretary general|secretary of state|general|colonel|brigadier general|
major general|lieutenant general|opposition figure|opposition leader|head
"""
# Words that can precede a role and belong to it ("former Syrian premier", "UN envoy",
# "Hezbollah leader", "acting Defence Minister").
_MODIFIERS = {
    "former", "ex", "late", "acting", "then", "deputy", "senior", "top", "veteran", "retired",
    "assistant", "interim", "outgoing", "incoming", "new", "current", "chief", "regional", "local",
    "rebel", "opposition", "regime", "government", "military", "army", "militia", "jihadist",
    "Former", "Late", "Acting", "Deputy", "Vice", "Senior", "Assistant", "Interim", "Chief",
    "Foreign", "Defence", "Defense", "Interior", "Information", "Justice", "Health", "Finance",
    "Economy", "Oil", "Energy", "Reconciliation", "Prime", "Grand", "Supreme", "Special", "Army",
    "Military", "Opposition", "Rebel", "Regime", "Government", "Air", "Naval", "Police",
    "Observatory", "Coalition", "Kurdish", "Islamist", "Shiite", "Sunni", "Alawite", "Christian",
    "Druze", "Arab", "Western", "Iraqi", "Syrian", "Lebanese", "Jordanian", "Turkish", "Russian",
    "Iranian", "American", "US", "U.S.", "British", "French", "German", "Israeli", "Saudi",
    "Qatari", "Egyptian", "Emirati", "Kuwaiti", "Chinese", "Palestinian", "Yemeni", "European",
    "UN", "U.N.", "Hezbollah", "Kremlin", "White", "House", "State", "Department",
}
_DEMONYMS = {
    "Syrian", "Syrians", "Russian", "Iranian", "Turkish", "American", "Kurdish", "Kurd", "Kurds",
    "Iraqi", "Lebanese", "Jordanian", "Saudi", "Israeli", "French", "British", "German", "Arab",
    "Arabs", "Islamic", "Islamist", "Sunni", "Shiite", "Shia", "Alawite", "Alawites", "Christian",
    "Druze", "Western", "European", "Qatari", "Egyptian", "Chinese", "Palestinian", "Turkmen",
    "Yazidi", "Assyrian", "Armenian", "Emirati", "Yemeni", "Libyan", "Afghan", "Pakistani",
}
# Capitalised words that are never part of a person's name: months, weekdays, function words
# that start sentences, and words that make a capitalised phrase an organisation or a place.
_NOT_NAME = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
    "Sept", "Oct", "Nov", "Dec", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday",
    "The", "A", "An", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "I",
    "His", "Her", "Their", "Its", "In", "On", "At", "Of", "For", "From", "To", "By", "With",
    "And", "But", "Or", "As", "If", "When", "While", "After", "Before", "Since", "During",
    "Meanwhile", "However", "Also", "Yesterday", "Today", "Tomorrow", "Earlier", "Later",
    "According", "Activists", "Rebels", "Residents", "Sources", "Reuters", "AFP", "AP",
    "Which", "What", "Who", "Whom", "Whose", "Where", "Why", "How", "Will", "Would", "Could",
    "Should", "Might", "Must", "Can", "Not", "No", "Yes", "All", "Some", "Many", "More", "Most",
    "Over", "Under", "Amid", "Against", "Near", "Into", "Than", "Then", "Up", "Down", "Out",
    "Off", "About", "Via", "Per", "Is", "Are", "Was", "Were", "Has", "Have", "Had", "Be",
    "Says", "Say", "Said", "Kills", "Killed", "Dead", "Dies", "Died", "Injured", "Wounded",
    "Takes", "Makes", "Hits", "Calls", "Urges", "Warns", "Denies", "Claims", "Vows", "Gains",
    "Army", "Forces", "Force", "Ministry", "Council", "State", "Front", "Group", "Observatory",
    "Staff", "Command", "Assembly", "Coalition", "Government", "Regime", "Agency", "News",
    "Committee", "Commission", "Organization", "Organisation", "Brigade", "Brigades",
    "Battalion", "Battalions", "Division", "Corps", "Party", "Movement", "Union", "University",
    "Hospital", "Airport", "Base", "Province", "Governorate", "City", "Street", "Square",
    "Mosque", "Church", "Court", "Office", "Department", "Authority", "Police", "Guard",
    "Guards", "Network", "Media", "Television", "TV", "Radio", "Channel", "Times", "Post",
    "Press", "Institute", "Center", "Centre", "Foundation", "Society", "League", "Nations",
    "Security", "Affairs", "Intelligence", "Directorate", "Headquarters", "Bank", "Company",
    "Fund", "Crescent", "Cross", "Republic", "Kingdom", "Emirates", "Region", "Countryside",
    "Valley", "Mountains", "Mountain", "Desert", "River", "Lake", "Sea", "Gulf", "Camp",
    "Palace", "Prison", "Village", "District", "Town", "Road", "Highway", "Bridge", "Gate",
    "Houthis", "Taliban", "Mujahideen", "Monitor", "Report", "Update", "Photo", "Video",
    "Print", "Tweet", "Views", "Related", "Tags", "Share", "Email", "Comments", "Twitter",
    "Facebook", "YouTube", "Syria", "Damascus", "Aleppo", "Homs", "Hama", "Idlib", "Raqqa",
    "Deir", "Ezzor", "Daraa", "Latakia", "Tartus", "Tartous", "Ghouta", "Douma", "Palmyra",
    "Kobani", "Manbij", "Qamishli", "Hasakah", "Hasaka", "Afrin", "Beirut", "Amman", "Ankara",
    "Istanbul", "Moscow", "Tehran", "Washington", "Geneva", "Astana", "Riyadh", "Doha",
    "Baghdad", "Cairo", "London", "Paris", "Turkey", "Russia", "Iran", "Iraq", "Lebanon",
    "Jordan", "Israel", "Gaza",
} | _DEMONYMS
_SENTENCE_WORDS = {w for w in _NOT_NAME if w[0].isupper() and w.lower() in {
    "the", "a", "an", "this", "that", "these", "those", "it", "he", "she", "they", "we", "i",
    "his", "her", "their", "its", "in", "on", "at", "of", "for", "from", "to", "by", "with", "and",
    "but", "or", "as", "if", "when", "while", "after", "before", "since", "during", "meanwhile",
    "however", "also", "yesterday", "today", "tomorrow", "earlier", "later", "according"}}
# Honorifics that may stand between a role and a name ("Imam Sayyed Ali Khamenei").
_HONORIFICS = ("Sayyed", "Sayyid", "Seyed", "Hajj", "Haji", "Major-General", "Lieutenant-General",
               "Brigadier-General", "Lieutenant-Colonel", "Rear-Admiral")
_PARTICLES = "al|el|ad|as|ash|at|az|ar|an|bin|ibn|bint|ben|de|di|da|van|von|der|del|la|le|du"
_TOKEN = (r"(?:(?:al|el|Al|El|ad|ash|as|at|az|ar|an|ud|ul)-)?"
          r"[A-ZÀ-ÖØ-ÞĀ-Ž](?:[a-z]{1,2}[A-Z])?[a-zß-öø-ÿā-ž'’]+(?:-(?:[A-Z][a-z'’]+|moon))?")
# One to four capitalised name tokens with Arabic/European particles between them.
_PARTICLE_SET = frozenset(_PARTICLES.split("|")) | {"abu", "abou", "abd", "umm"}
_NAME = rf"{_TOKEN}(?:\s(?:(?:{_PARTICLES}|Abu|Abou|Abd|Umm|Bin)\s)?{_TOKEN}){{0,3}}"
_NAME_AFTER = re.compile(rf"[ \t\u00a0]+({_NAME})")
_NAME_CAPITAL = re.compile("[A-ZÀ-ÖØ-ÞĀ-Ž]")   # the capital every _TOKEN has
_SURROGATE = re.compile("[\ud800-\udfff]")
_NAME_BEFORE = re.compile(rf"(?:^|(?<=[\s(\"“]))({_NAME})$")
_ROLE_HEADS = (
    "spokesman|spokeswoman|spokesperson|head|director|chief|leader|commander|founder|member|"
    "minister|envoy|ambassador|president|official|activist|resident|doctor|surgeon|nurse|"
    "journalist|photographer|reporter|correspondent|analyst|researcher|expert|professor|lawyer|"
    "cleric|imam|general|colonel|officer|soldier|fighter|defector|governor|mayor|coordinator|"
    "representative|secretary|adviser|advisor|negotiator|deputy|chairman|chairwoman|executive|"
    "manager|volunteer|engineer|teacher|student|farmer|mother|father|brother|sister|son|"
    "daughter|wife|husband|widow|pilot|militant|jihadist|rebel|opponent|dissident|writer|poet|"
    "businessman|businesswoman|cousin|nephew|uncle|aunt"
)
# "…, the head of the Syrian Observatory for Human Rights" / "…, a 32-year-old activist".
_ROLE_AFTER = re.compile(
    rf"((?:[\w'’-]+\s){{0,4}}?(?i:{_ROLE_HEADS})s?\b"
    rf"(?:\s(?:of|for|at|in|with)\s(?:the\s)?(?:[A-Z][\w'’-]*(?:\s(?:for\s|of\s)?[A-Z][\w'’-]*){{0,5}}"
    rf"|[a-z][\w'’-]*(?:\s[a-z][\w'’-]*)?(?=[,;.)]|$)))?)"
)
_TITLE_WORDS = {w for t in _TITLES_CAPITALISED.split("|") for w in t.split()}
_LOWER_WHEN_FIRST = {"Former", "Late", "Acting", "Then", "Interim", "Outgoing"}
_FIELD_ORDER = {"title": 0, "caption": 1, "body": 2}


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


@dataclass(slots=True)
class _Known:
    entity_id: str
    name: str
    kind: str


@dataclass(slots=True)
class _Found:
    entity_id: str
    name: str
    kind: str
    title: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


@lru_cache(maxsize=4096)
def slug(name: str) -> str:
    """The entity key for a display name: "Bashar al-Assad" -> "bashar-al-assad"."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower().replace("'", "").replace("’", "")).strip("-")


def _default_places() -> frozenset[str]:
    """Country and city names (cities over 300k people, and the Levant's towns), to reject
    "General Damascus"-style matches: the gazetteer's names and their Latin-script aliases
    (read from etl/data, which the place finder loads anyway)."""
    from etl.gazetteer import load
    names: set[str] = set()
    for place in load().places:
        if place.kind == "country" or place.kind == "city" and (
                place.population >= 300_000 or place.country_code in {"SY", "LB", "JO", "IQ"}):
            names.add(place.name)
            names.update(a for a in place.aliases if a.isascii())
    return frozenset(names)


class EntityFinder:
    """Finds people and organisations in a `Doc`. Build once, then call `find` per article."""

    def __init__(self, path: Path = DATA_PATH, places: frozenset[str] | set[str] | None = None):
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        self.places = _default_places() if places is None else frozenset(places)
        self.known: list[_Known] = []
        self._by_name: dict[str, int] = {}
        patterns: dict[str, tuple[str, int, str]] = {}   # pattern -> (kind, known index, key); last one wins
        for kind in ("person", "org"):
            for entry in data.get(kind, []):
                idx = len(self.known)
                self.known.append(_Known(entry.get("id") or slug(entry["name"]), entry["name"], kind))
                for alias in {entry["name"], *entry.get("aliases", [])}:
                    patterns[alias] = ("alias", idx, alias)
                    self._by_name.setdefault(alias, idx)
        for phrase in data.get("ignore", {}).get("phrases", []):
            patterns[phrase] = ("ignore", -1, phrase)
        for words, lower in ((_TITLES_CAPITALISED, False), (_TITLES_LOWER, True)):
            for title in filter(None, (w.strip() for w in words.split("|"))):
                if title not in self._by_name:
                    # Lower-case titles count only after a space, so their patterns carry it;
                    # the key in the value does not, and `_scan` takes the start from the key.
                    patterns[" " + title if lower else title] = ("title", -1, title)
        self._titles_by_first: dict[str, list[str]] = {}
        capitalised = {t.strip() for t in _TITLES_CAPITALISED.split("|") if t.strip()}
        for title in sorted(capitalised | set(_HONORIFICS), key=len, reverse=True):
            self._titles_by_first.setdefault(title.split(" ")[0], []).append(title)
        for title in _HONORIFICS:
            patterns[title] = ("title", -1, title)
        for marker in (", a ", ", an ", ", the "):
            patterns[marker] = ("appos", -1, marker)
        # Leftmost-longest DFA (~100 KB): ~5 us over a 2 KB article where pyahocorasick's
        # iter_long took ~35 us.
        self._automaton = ahocorasick_rs.AhoCorasick(
            list(patterns), matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST,
            implementation=ahocorasick_rs.Implementation.DFA, store_patterns=False)
        self._values = list(patterns.values())

    def find(self, doc: Doc) -> list[Entity]:
        """Entities in document order (title, caption, body), each once with all its evidence."""
        found: dict[str, _Found] = {}
        spans: dict[str, list[tuple[int, int]]] = {}
        body = doc.body or ""
        for field_name in ("title", "caption", "body"):
            text = getattr(doc, field_name) or ""
            if text:
                spans[field_name] = self._scan(field_name, text, found, body if field_name != "body" else "")
        self._link_surnames(doc, found, spans)
        return [Entity(f.entity_id, f.name, f.kind, f.title, f.evidence) for f in found.values()]

    # -- one field ------------------------------------------------------------------------

    def _scan(self, field_name: str, text: str, found: dict[str, _Found], body: str = "") -> list[tuple[int, int]]:
        covered_until = 0
        spans: list[tuple[int, int]] = []
        pending: tuple[str, int] | None = None   # (title text, end offset) awaiting its name
        n = len(text)
        values = self._values
        for pattern, _, end in _find(self._automaton, text):
            kind, idx, key = values[pattern]
            start = end - len(key)   # lower-case title patterns carry a leading space the key lacks
            if start < covered_until:
                continue
            if kind == "appos":
                hit = self._apposition(text, start, end, found, field_name)
                if hit:
                    spans.append(hit)
                continue
            if not _stands_alone(text, n, start, end, kind, key):
                continue
            if kind == "ignore":
                covered_until = end
                continue
            if kind == "title":
                after = self._title_and_name(text, start, end, key)
                if after is None:
                    continue
                title, nstart, raw = after
                if self._alias_at(text, nstart) is not None:
                    # A known name right after the title: the alias branch takes it.
                    pending = (title, nstart)
                    covered_until = nstart
                    continue
                name = self._clean_name(raw, text, body)
                if name:
                    nend = nstart + len(name)
                    self._add_unknown(found, name, title, field_name, text, nstart, nend)
                    spans.append((nstart, nend))
                    covered_until = nend
                continue
            # A known alias.
            known = self.known[idx]
            title = None
            if pending and pending[1] == start:
                title = pending[0]
            elif known.kind == "person" and " " not in key:
                first = self._with_given_name(text, start, known)
                if first is None:
                    continue
                start = first
            pending = None
            self._add(found, known.entity_id, known.name, known.kind, title, field_name, text, start, end)
            spans.append((start, end))
            covered_until = end
        return spans

    def _title_and_name(self, text: str, start: int, end: int, key: str) -> tuple[str, int, str] | None:
        """For a title text[start:end]: the full title (a nested title and modifiers joined to
        it), where the name after it starts, and that name's raw text; None when no name follows."""
        m = _NAME_AFTER.match(text, end)
        if not m:
            return None
        title, nstart, raw = key, m.start(1), m.group(1)
        nested = self._leading_title(raw)
        if nested:
            title, nstart, raw = f"{title} {raw[:nested].strip()}", nstart + nested, raw[nested:]
        return _with_modifiers(text, start, title), nstart, raw

    def _with_given_name(self, text: str, start: int, known: _Known) -> int | None:
        """Where a known person's one-word alias at `start` really starts: earlier when a spelling
        of their first name precedes it ("Ahmed Davutoglu"); None when another first name does
        ("Ammar al-Assad" is not Bashar al-Assad)."""
        given = self._given_name_before(text, start)
        if given < 0:
            return start
        if _fold(text[given:given + 3]) != _fold(known.name[:3]):
            return None
        return given

    def _alias_at(self, text: str, pos: int) -> int | None:
        """Index of the known entity whose alias starts exactly at `pos`, if any."""
        for pattern, start, end in _find(self._automaton, text[pos:pos + 80]):
            kind, idx, key = self._values[pattern]
            if kind == "alias" and start == 0 and _alias_ends(text, pos + end):
                return idx
            return None
        return None

    def _leading_title(self, raw: str) -> int:
        """Length of capitalised titles opening a captured name ("Major General Igor K…")."""
        n = 0
        while True:
            space = raw.find(" ", n)
            for title in self._titles_by_first.get(raw[n:space] if space > 0 else raw[n:], ()):
                if raw.startswith(title, n) and raw[n + len(title):n + len(title) + 1] == " ":
                    n += len(title) + 1
                    break
            else:
                return n

    def _given_name_before(self, text: str, start: int) -> int:
        """Start of an unknown capitalised given name just before a surname alias ("Ammar
        Assad"), or -1. A capitalised word opening a sentence is not taken for one."""
        if start < 2 or text[start - 1] != " ":
            return -1
        lo = max(0, start - 40)
        before = text[lo:start - 1]
        cut = max(before.rfind(" "), before.rfind("\n"))
        word = before[cut + 1:]
        if not word or not word[0].isupper() or not word.isalpha():
            return -1
        if word in _NOT_NAME or word in _MODIFIERS or word in self._by_name or word in _TITLE_WORDS:
            return -1
        head = before[:cut].rstrip()
        if cut < 0 and lo == 0 or (head and head[-1] in '.!?"“:'):
            return -1
        return lo + cut + 1

    def _clean_name(self, name: str, text: str, body: str = "") -> str | None:
        """The person name in a captured run of capitalised tokens, or None for junk.

        Cuts at the first word that cannot be part of a name (months, function words,
        organisation and place words), drops trailing place names, and rejects runs made of
        ordinary words, which is what a Title Case headline looks like ("Minister Says
        Economy Lost"): a token counts as ordinary when the article also uses it in lower case.
        In a headline or caption (`body` given, the article's text), the run is also cut at the
        first word the text never writes with its capital: a story names its people in full,
        so "Major General Kabbani Joins Rebel Ranks" gives "Kabbani" (then too short) and
        "Brigadier General Announces Defection" nothing.
        """
        tokens = name.split(" ")
        if body:
            tokens = _written_in(tokens, body)
        for i, token in enumerate(tokens):
            bare = token[:-2] if token.endswith(("'s", "’s")) else token
            last_part = bare.split("-")[-1]
            if bare in _NOT_NAME or last_part in _NOT_NAME or (
                    bare.endswith("s") and bare[:-1] in _NOT_NAME):
                tokens = tokens[:i]
                break
        while tokens and (tokens[-1] in self.places or tokens[-1].lower() in _PARTICLE_SET):
            tokens.pop()
        real = [t for t in tokens if t.lower() not in _PARTICLE_SET]
        if len(real) < 2 or real[0] in self.places:
            return None
        ordinary = sum(1 for t in real if _used_lower_case(t, text))
        if ordinary * 2 > len(real) or _used_lower_case(real[-1], text):
            return None
        cleaned = " ".join(tokens)
        if cleaned in self.places:
            return None
        return cleaned

    def _apposition(self, text, start, end, found, field_name) -> tuple[int, int] | None:
        # The name's last token lies in the word before the comma and has a capital letter. Most
        # markers follow an ordinary word ("said, the"), and this test costs a tenth of the regex.
        cut = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start))
        if _NAME_CAPITAL.search(text, cut + 1, start) is None:
            return None
        before = _NAME_BEFORE.search(text, max(0, start - 70), start)
        if not before:
            return None
        role = _ROLE_AFTER.match(text, end)
        if not role:
            return None
        raw_name = before.group(1)
        tokens = raw_name.split(" ")
        while tokens and tokens[0] in _SENTENCE_WORDS:
            tokens.pop(0)
        raw_name = " ".join(tokens)
        nstart = start - len(raw_name)
        title = role.group(1).strip()
        idx = self._by_name.get(raw_name)
        if idx is not None:
            known = self.known[idx]
            entry = found.get(known.entity_id)
            if entry is not None and entry.title is None and known.kind == "person":
                entry.title = title
            return None
        name = self._clean_name(raw_name, text)
        if not name or name != raw_name:
            return None
        self._add_unknown(found, name, title, field_name, text, nstart, start)
        return nstart, start

    # -- collecting -----------------------------------------------------------------------

    def _add_unknown(self, found, name, title, field_name, text, start, end) -> None:
        idx = self._by_name.get(name)
        if idx is None:
            # "Ahmed Davutoglu", "Antnio Guterres": a variant spelling of a known person's
            # first name before their unambiguous surname.
            tokens = name.split(" ")
            idx = self._by_name.get(tokens[-1])
            if idx is not None and (self.known[idx].kind != "person" or
                                    _fold(tokens[0])[:3] != _fold(self.known[idx].name)[:3]):
                idx = None
        if idx is not None:
            known = self.known[idx]
            self._add(found, known.entity_id, known.name, known.kind, title, field_name, text, start, end)
        else:
            self._add(found, slug(name), name, "person", title, field_name, text, start, end)

    @staticmethod
    def _add(found, entity_id, name, kind, title, field_name, text, start, end) -> None:
        entry = found.get(entity_id)
        if entry is None:
            entry = found[entity_id] = _Found(entity_id, name, kind, None, [])
        if title and entry.title is None and kind == "person":
            entry.title = title
        entry.evidence.append(Evidence(field_name, start, end, text[start:end], text))

    def _link_surnames(self, doc: Doc, found: dict[str, _Found], spans) -> None:
        """Count later bare-surname mentions ("Khalouf and his family") for people named in full."""
        surnames: dict[str, str] = {}
        for entry in found.values():
            if entry.kind != "person":
                continue
            last = entry.name.split(" ")[-1]
            for form in {last, last.split("-", 1)[-1]}:
                if len(form) >= 4 and form[0].isupper() and form not in self._by_name \
                        and form not in _NOT_NAME and form not in self.places:
                    surnames.setdefault(form, entry.entity_id)
        if not surnames:
            return
        touched: set[str] = set()
        for field_name, covered in spans.items():
            text = getattr(doc, field_name)
            for form, entity_id in surnames.items():
                pos = text.find(form)
                while pos >= 0:
                    end = pos + len(form)
                    if (pos == 0 or not (_is_word(text[pos - 1]) or text[pos - 1] == "-")) \
                            and _alias_ends(text, end) and not any(a <= pos < b for a, b in covered):
                        found[entity_id].evidence.append(_evidence(field_name, text, pos, end))
                        touched.add(entity_id)
                    pos = text.find(form, end)
        for entity_id in touched:
            found[entity_id].evidence.sort(key=lambda ev: (_FIELD_ORDER[ev.field], ev.start))


def _find(automaton: ahocorasick_rs.AhoCorasick, text: str) -> list[tuple[int, int, int]]:
    """Leftmost-longest (pattern, start, end) matches. The automaton reads UTF-8, which has no
    lone surrogates (a JSON "\\ud800" escape makes one): those are matched as U+FFFD."""
    try:
        return automaton.find_matches_as_indexes(text)
    except UnicodeEncodeError:
        return automaton.find_matches_as_indexes(_SURROGATE.sub("\ufffd", text))


def _fold(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


def _used_lower_case(token: str, text: str) -> bool:
    """Whether the text also uses this capitalised token as an ordinary lower-case word."""
    low = token.lower()
    if low.endswith("s") and low[:-1] and token[:-1] in _NOT_NAME:
        return True
    pos = text.find(low)
    while pos >= 0:
        end = pos + len(low)
        if (pos == 0 or not _is_word(text[pos - 1])) and (
                end >= len(text) or not _is_word(text[end])):
            return True
        pos = text.find(low, end)
    return False


def _stands_alone(text: str, n: int, start: int, end: int, kind: str, key: str) -> bool:
    """A hit on word boundaries (an alias may be followed by a possessive's bare "s", see
    `_alias_ends`; a title ending in a full stop by a name), and not a short acronym in shouted text."""
    if start > 0:
        c = text[start - 1]
        if c.isalnum() or c == "_":
            return False
    if end < n:
        c = text[end]
        if (c.isalnum() or c == "_") and not (
                kind == "alias" and _alias_ends(text, end) or kind == "title" and key[-1] == "."):
            return False
    return not (kind == "alias" and len(key) <= 3 and key.isupper() and _shouting(text, start, end))


def _written_in(tokens: list[str], body: str) -> list[str]:
    """The leading tokens that `body` also writes, capitalised as here, as whole words."""
    for i, token in enumerate(tokens):
        bare = token[:-2] if token.endswith(("'s", "’s")) else token
        pos = body.find(bare)
        while pos >= 0 and ((pos > 0 and _is_word(body[pos - 1]))
                            or (pos + len(bare) < len(body) and _is_word(body[pos + len(bare)]))):
            pos = body.find(bare, pos + 1)
        if pos < 0:
            return tokens[:i]
    return tokens


def _alias_ends(text: str, end: int) -> bool:
    """Whether an alias match ends a word, allowing the bare "s" of apostrophe-stripped
    possessives ("Assads forces"); "'s" needs no rule, the apostrophe ends the word."""
    if end >= len(text) or not _is_word(text[end]):
        return True
    return text[end] == "s" and text[end - 1].islower() and (
        end + 1 >= len(text) or not _is_word(text[end + 1]))


def _shouting(text: str, start: int, end: int) -> bool:
    """Whether a short acronym sits in upper-case text ("IS" in "THIS IS A HEADLINE")."""
    around = text[max(0, start - 12):start] + text[end:end + 12]
    letters = sum(map(str.isalpha, around))
    return letters >= 4 and sum(map(str.isupper, around)) / letters > 0.7


def _with_modifiers(text: str, start: int, title: str) -> str:
    """The title with the modifier words just before it: "former Syrian premier"."""
    if start == 0 or not text[start - 1].isspace():
        return title
    words = text[max(0, start - 60):start].split()
    taken = 0
    for word in reversed(words[-4:]):
        if word in _MODIFIERS or (word.endswith("-") and word[:-1] in _MODIFIERS) \
                or (word.isupper() and 2 <= len(word) <= 5 and word.isalpha()):
            taken += 1
        else:
            break
    if not taken:
        return title
    mods = words[-taken:]
    if mods[0] in _LOWER_WHEN_FIRST:
        mods[0] = mods[0].lower()
    return " ".join(mods) + " " + title


def _evidence(field_name: str, text: str, start: int, end: int) -> Evidence:
    return Evidence(field_name, start, end, text[start:end], text)
