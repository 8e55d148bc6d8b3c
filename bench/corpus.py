"""Large synthetic corpora for benchmarks: JSONL, scraped-archive text pages and HTML pages.

Articles are ~2–3 KB of news-shaped text with vocabulary statistics a full-text index will
find realistic: a Zipf-distributed vocabulary of ~60,000 word types (real function words at the
top, deterministic pseudo-words in the tail), 20,000 invented surnames that each occur in very
few articles, designated mid-frequency terms (1–10 % of articles) and common conflict terms
(~50 %), topic sentences whose mix follows the calendar, real Syrian and neighbouring place
names, dates over 2011–2018, twenty invented outlets and ~2 % near-duplicates.

Speed comes from doing per-article work only as table look-ups and string joins: sentence
pools, date and topic tables and term combinations are sampled once per seed.

    python -m bench.corpus --articles 1000000 --format jsonl --out bench/out/corpus.jsonl

Over 500 lines because it is a generator: most of its length is the word, place and sentence
tables it samples from, kept beside the code that reads them.
"""
from __future__ import annotations

import argparse
import html
import itertools
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

DEFAULT_SEED = 1
SHARD_SIZE = 1000  # page files per sub-folder
NEAR_DUP_RATE = 0.02
UNDATED_RATE = 0.005
N_SURNAMES = 20_000
N_PSEUDO_WORDS = 60_000
POOL_SIZE = 1 << 16  # filler sentences per seed
TABLE_BITS = 13  # term-combination tables hold 2**13 entries

# --- fixed vocabulary (independent of the corpus seed, so KNOWN_TERMS is a constant) ---------

OUTLETS = ["Levant Ledger", "Euphrates Wire", "Crossroads Monitor", "Harbour Gazette", "Orontes Review",
           "Two Rivers Chronicle", "Cedar Coast Times", "Northern Steppe Bulletin", "Gulf Lantern",
           "Basalt Plateau Herald", "Citadel Evening Post", "Olive Terrace Journal", "Caravan Road Review",
           "Desert Star Courier", "Mountain Pass Observer", "Riverbank Daily", "Silk Gate Tribune",
           "Lighthouse Dispatch", "Saffron Square Times", "Northern Lights Digest"]
OUTLET_WEIGHTS = [1 / (i + 1) ** 0.8 for i in range(len(OUTLETS))]
OUTLET_DOMAINS = {o: o.lower().replace(" ", "") + ".example" for o in OUTLETS}

# (name, weight): Syrian cities and towns first, then neighbouring countries' cities.
PLACES = [("Aleppo", 30), ("Damascus", 30), ("Homs", 20), ("Idlib", 18), ("Hama", 12), ("Raqqa", 14),
          ("Deir ez-Zor", 10), ("Daraa", 12), ("Latakia", 8), ("Tartus", 4), ("Douma", 8), ("Qamishli", 5),
          ("Hasakah", 5), ("Kobani", 6), ("Manbij", 5), ("al-Bab", 4), ("Azaz", 3), ("Afrin", 5),
          ("Jarabulus", 3), ("Palmyra", 6), ("Saraqib", 3), ("Maarat al-Numan", 3), ("Khan Sheikhoun", 3),
          ("Jisr al-Shughur", 2), ("Zabadani", 3), ("Madaya", 3), ("Daraya", 4), ("Moadamiyeh", 2),
          ("Harasta", 2), ("Zamalka", 2), ("Jobar", 2), ("Yarmouk", 3), ("al-Qusayr", 3), ("Rastan", 2),
          ("Talbiseh", 1), ("Salamiyah", 1), ("Baniyas", 1), ("Jableh", 1), ("Quneitra", 2), ("Suwayda", 2),
          ("Bosra", 1), ("Nawa", 1), ("Tabqa", 2), ("Tal Abyad", 2), ("Ras al-Ain", 1), ("Mayadin", 2),
          ("Albu Kamal", 2), ("Amman", 10), ("Mafraq", 3), ("Irbid", 2), ("Zaatari", 3), ("Beirut", 12),
          ("Tripoli", 4), ("Arsal", 3), ("Baalbek", 2), ("Gaziantep", 8), ("Kilis", 3), ("Antakya", 3),
          ("Reyhanli", 2), ("Sanliurfa", 2), ("Istanbul", 6), ("Ankara", 3), ("Erbil", 5), ("Dohuk", 2),
          ("Baghdad", 5), ("Mosul", 4), ("Jerusalem", 2), ("Cairo", 2), ("Geneva", 4), ("Astana", 2)]
DATELINE_CITIES = ["Amman", "Beirut", "Istanbul", "Gaziantep", "Baghdad", "Erbil", "Tripoli", "Jerusalem",
                   "Cairo", "Damascus", "Aleppo", "London", "Geneva"]
FIRST_NAMES = ["Samir", "Khaled", "Walid", "Yousef", "Omar", "Faris", "Nabil", "Hussam", "Ziad", "Tarek",
               "Bassam", "Maher", "Rami", "Jamal", "Adnan", "Fadi", "Hisham", "Ayman", "Karim", "Munir",
               "Rashid", "Salim", "Ghassan", "Marwan", "Anwar", "Imad", "Wael", "Louay", "Mazen", "Qusai",
               "Rania", "Lina", "Huda", "Salma", "Nour", "Dima", "Maysa", "Reem", "Hala", "Widad"]
RANKS = ["Colonel", "Lieutenant Colonel", "Brigadier General", "Major", "Captain", "commander", "spokesman",
         "Dr.", "activist", "Major General"]
FUNCTION_WORDS = list(dict.fromkeys((
    "the of and to in a said on for was that with by is from at as have were had it be has an which their "
    "after they not this are but also been who more into its over two three than would about other some "
    "when there new last could people where about under while since before during against between where "
    "city area government forces local week told area near several many most each our such them those "
    "first year years month days day report statement town village road north south east west officials "
    "group groups fighters army police border country state council members family families children women "
    "men killed wounded attack attacks military security support control city's region province areas told "
    "according sources spokesman minister ministry president foreign international united nations aid "
    "water food health hospital school schools houses homes buildings street streets night morning"
).split()))
SYLLABLES = [c + v for c in ["b", "d", "f", "g", "h", "k", "l", "m", "n", "q", "r", "s", "t", "z", "sh", "kh",
                             "dh", "gh", "th", "w", "y", "j"]
             for v in ["a", "i", "u", "e", "o", "aa", "ei", "ou"]]
CODAS = ["", "", "", "n", "r", "l", "m", "s", "t", "d", "k"]
SURNAME_SUFFIXES = ["awi", "ani", "ouni", "adi", "ibi", "ashi"]

COMMON_TERMS = {  # ~50 % of articles each
    "regime": ["Officials loyal to the regime declined to comment.",
               "The regime has rejected similar accounts in the past."],
    "opposition": ["An opposition spokesperson gave a different figure.",
                   "Members of the opposition called for an independent inquiry."],
    "rebels": ["Local rebels said they had withdrawn from two positions.",
               "The rebels accused their opponents of breaking an earlier agreement."],
    "civilians": ["Most of the dead were civilians, according to people in the area.",
                  "Aid workers said civilians were trying to leave through side roads."],
    "activists": ["Footage posted by activists showed smoke over several districts.",
                  "The activists said they had documented the names of the victims."],
    "casualties": ["Hospitals reported a steady flow of casualties through the night.",
                   "The exact number of casualties was not known."],
    "clashes": ["Sporadic clashes continued into the evening.",
                "Residents said the clashes had cut power to their neighbourhood."],
    "militants": ["Officials blamed militants for planting explosives along the route.",
                  "The statement said dozens of militants had been detained."],
    "checkpoint": ["Travellers said a new checkpoint had been set up at the entrance to the town.",
                   "Queues at the checkpoint stretched for hours."],
    "frontline": ["The frontline has barely moved in recent months.",
                  "Families living near the frontline sleep in basements."],
}
COMMON_DF = 0.5
MID_TERMS = ["bakery", "ambush", "drone", "mortar", "sniper", "smuggling", "bridge", "generator", "minefield",
             "curfew", "hostage", "ransom", "quarry", "pipeline", "granary", "roadblock", "orchard", "ferry",
             "dam", "airfield", "barracks", "warehouse", "clinic", "ambulance", "courthouse", "prison",
             "stadium", "cemetery", "refinery", "silo", "tunnel", "motorway", "railway", "pharmacy", "mill",
             "reservoir", "substation", "garage", "depot", "observatory"]
MID_DF = {t: round(0.01 * 10 ** (i / (len(MID_TERMS) - 1)), 4) for i, t in enumerate(MID_TERMS)}  # 1 % .. 10 %
MID_FRAMES = ["Residents said the {t} near {p} had been hit again.",
              "A council official described the {t} as the most urgent concern.",
              "The {t} reopened after several weeks, witnesses said.",
              "Workers at the {t} said they had not been paid for months.",
              "Photographs showed the damaged {t} on the edge of {p}."]

# Topics: sentence pools with keyword vocabulary, and monthly weights (index 0 = January 2011).
N_MONTHS = 96


def _curve(base: float, spans=(), points=None) -> list[float]:
    w = [base] * N_MONTHS
    for (y1, m1), (y2, m2), v in spans:
        for i in range((y1 - 2011) * 12 + m1 - 1, (y2 - 2011) * 12 + m2):
            w[i] = v
    for (y, m), v in (points or {}).items():
        w[(y - 2011) * 12 + m - 1] = v
    return w


TOPICS = {
    "protests": (_curve(0.02, [((2011, 3), (2011, 12), 3), ((2012, 1), (2012, 6), 1)]), [
        "Demonstrators gathered in {p} after Friday prayers, chanting for freedom.",
        "Protesters in {p} demanded the release of detained relatives.",
        "A funeral in {p} turned into a rally against the government.",
        "Security forces fired tear gas to disperse a protest in {p}.",
    ], "Protesters Rally in {p}"),
    "defection": (_curve(0.05, [((2011, 6), (2011, 12), 1), ((2012, 1), (2012, 12), 2.5), ((2013, 1), (2013, 12), 0.6)],
                         {(2012, 6): 4, (2012, 7): 5, (2012, 8): 4.5}), [
        "{n} announced his defection from the army and crossed into a neighbouring country.",
        "Soldiers stationed near {p} defected with their weapons, according to a defector now in {q}.",
        "The defector said morale in his former unit had collapsed.",
        "A wave of defections has thinned the ranks of units deployed around {p}.",
    ], "Officer Defects Near {p}"),
    "chemical_weapons": (_curve(0.05, [((2012, 12), (2018, 12), 0.15)],
                                {(2013, 8): 6, (2013, 9): 3, (2017, 4): 6, (2017, 5): 1.5, (2018, 4): 3}), [
        "Doctors in {p} described symptoms consistent with exposure to a nerve agent.",
        "Inspectors asked for access to the site of the suspected chemical attack near {p}.",
        "Rescuers said toxic gas had spread through basements where families were sheltering.",
        "The government denied using chemical weapons in {p}.",
    ], "Suspected Gas Attack Reported in {p}"),
    "ceasefire": (_curve(0.1, [((2012, 3), (2018, 12), 0.3)],
                         {(2014, 1): 1.5, (2016, 2): 4, (2016, 3): 2, (2016, 9): 1.5, (2017, 1): 1.5, (2017, 5): 1.2}), [
        "Negotiators in Geneva discussed a nationwide truce and the release of detainees.",
        "The ceasefire largely held around {p}, although violations were reported.",
        "Diplomats said the talks on a cessation of hostilities would resume next week.",
        "Delegations met the UN envoy separately as the negotiations stalled.",
    ], "Truce Talks Resume as Calm Returns to {p}"),
    "siege": (_curve(0.2, [((2013, 1), (2018, 12), 0.4)], {(2016, 9): 2, (2016, 10): 2.5, (2016, 11): 3, (2016, 12): 3.5}), [
        "Residents of besieged {p} said bread and fuel had run out.",
        "The siege of {p} entered its fourth month with no aid deliveries.",
        "Families in the besieged districts were living on lentils and rice.",
    ], "Siege Tightens Around {p}"),
    "airstrikes": (_curve(0.1, [((2012, 7), (2015, 9), 0.5), ((2015, 10), (2018, 12), 1.8)]), [
        "Air strikes hit a market in {p}, rescue workers said.",
        "Warplanes carried out dozens of raids on villages outside {p}.",
        "Helicopters dropped barrel bombs on residential districts of {p}.",
        "Russian aircraft struck targets near {p}, according to the defence ministry in Moscow.",
    ], "Air Strikes Hit {p}"),
    "displacement": (_curve(0.3, [((2012, 1), (2018, 12), 1.2)], {(2015, 9): 2.2}), [
        "Thousands of families fled {p} toward the border, aid agencies said.",
        "Refugees arriving in {q} described walking for two days.",
        "The UN refugee agency appealed for funds as displaced families crowded into camps near {q}.",
        "Displaced people are sleeping in olive groves outside {p}.",
    ], "Refugees Flee {p}"),
    "islamic_state": (_curve(0.02, [((2013, 6), (2013, 12), 0.4), ((2014, 1), (2017, 12), 1.2), ((2018, 1), (2018, 12), 0.4)],
                             {(2017, 6): 2, (2017, 7): 2, (2017, 10): 2}), [
        "Islamic State fighters withdrew from positions around {p}.",
        "Kurdish-led forces advanced on the Islamic State stronghold of {p}.",
        "Residents said Islamic State had imposed new rules on dress and trade in {p}.",
    ], "Islamic State Loses Ground Near {p}"),
    "humanitarian": (_curve(0.3, [((2012, 1), (2018, 12), 0.8)]), [
        "A UN aid delivery reached {p} carrying flour and medicine.",
        "Aid agencies warned of hunger in {p} as supplies dwindled.",
        "The Red Crescent said it had evacuated the sick and wounded from {p}.",
    ], "Aid Reaches {p}"),
    "kidnapping": (_curve(0.1, [((2012, 6), (2016, 12), 0.35)]), [
        "Gunmen abducted a group of travellers on the road to {p}.",
        "Relatives said the kidnappers had demanded payment for the release of the men.",
    ], "Travellers Abducted Near {p}"),
}
TOPIC_NAMES = list(TOPICS)
VOLUME = {2011: 0.6, 2012: 1.0, 2013: 1.2, 2014: 1.0, 2015: 1.1, 2016: 1.3, 2017: 1.0, 2018: 0.7}


def _pseudo_words(rng: random.Random, n: int, banned: set[str], suffixes: list[str] | None = None) -> list[str]:
    out: list[str] = []
    seen = set(banned)
    while len(out) < n:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((1, 2, 2, 3, 3, 4)))) + rng.choice(CODAS)
        if suffixes:
            w = w.capitalize() + rng.choice(suffixes)
        elif any(w.endswith(s) for s in SURNAME_SUFFIXES) or len(w) < 3:
            continue
        if w.lower() not in seen:
            seen.add(w.lower())
            out.append(w)
    return out


def _template_words() -> set[str]:
    texts = [t for frames in COMMON_TERMS.values() for t in frames] + MID_FRAMES + MID_TERMS
    texts += [s for _, sents, title in TOPICS.values() for s in sents + [title]]
    texts += FUNCTION_WORDS + FIRST_NAMES + RANKS + [p for p, _ in PLACES] + OUTLETS + DATELINE_CITIES
    texts += list(PAGE_CHROME_WORDS)
    words: set[str] = set()
    for t in texts:
        words.update("".join(c if c.isalnum() else " " for c in t.lower()).split())
    return words


PAGE_CHROME_WORDS = ("posted on english archive select page media id caption file staff photo additional "
                     "reporting by",)
_vocab_rng = random.Random(20_110_315)
SURNAMES = _pseudo_words(_vocab_rng, N_SURNAMES, _template_words(), SURNAME_SUFFIXES)

KNOWN_TERMS = {
    "rare": SURNAMES[:: N_SURNAMES // 50][:50],  # each in ~1.5 / 20,000 of articles
    "mid": list(MID_TERMS),                      # 1 % .. 10 %, see MID_DF
    "common": list(COMMON_TERMS),                # ~50 % each
}
NAMES_PER_ARTICLE = 1.5
TERM_DF = {**{t: NAMES_PER_ARTICLE / N_SURNAMES for t in KNOWN_TERMS["rare"]}, **MID_DF,
           **{t: COMMON_DF for t in COMMON_TERMS}}
"""Expected fraction of articles containing each KNOWN_TERMS term (case-insensitive, whole word)."""


# --- per-seed tables ---------------------------------------------------------------------------

class _Tables:
    """Everything sampled once per seed so that producing an article is look-ups and joins.

    Tables are sized in powers of two so an article's choices are bit fields of a few large
    random integers instead of dozens of `random.choice` calls.
    """

    def __init__(self, seed: int):
        rng = random.Random(seed * 1_000_003 + 17)
        self.vocab = FUNCTION_WORDS + _pseudo_words(random.Random(7), N_PSEUDO_WORDS,
                                                    _template_words() | {s.lower() for s in SURNAMES})
        cum, total = [], 0.0
        for rank in range(1, len(self.vocab) + 1):
            total += 1.0 / rank ** 1.07
            cum.append(total)
        lengths = [rng.randint(9, 22) for _ in range(POOL_SIZE)]
        tokens = rng.choices(self.vocab, cum_weights=cum, k=sum(lengths))
        sentences, pos = [], 0
        for n in lengths:
            words = [w for k, w in enumerate(tokens[pos:pos + n]) if k == 0 or w != tokens[pos + k - 1]]
            pos += n
            if len(words) > 14:
                words[len(words) // 2] += ","
            words[0] = words[0].capitalize()
            sentences.append(" ".join(words) + ".")
        self.sentences = sentences
        # Filler comes in chunks of three sentences: five chunks per article.
        self.chunks = [" ".join(rng.choices(sentences, k=3)) for _ in range(POOL_SIZE)]

        self.places = rng.choices([p for p, _ in PLACES], weights=[w for _, w in PLACES], k=1 << 12)
        self.outlets = rng.choices(OUTLETS, weights=OUTLET_WEIGHTS, k=1 << 10)
        self.cities = rng.choices(DATELINE_CITIES, k=16)
        self.ranks = (RANKS * 2)[:16]
        self.first_names = rng.choices(FIRST_NAMES, k=64)

        months = list(range(N_MONTHS))
        self.dates: list[tuple[str, int]] = []
        for m in rng.choices(months, weights=[VOLUME[2011 + m // 12] for m in months], k=1 << 16):
            y, mo = 2011 + m // 12, m % 12 + 1
            day = rng.randint(1, 28 if mo == 2 else 30)
            stamp = f"{y:04d}-{mo:02d}-{day:02d}T{rng.randint(5, 22):02d}:{rng.choice((0, 15, 30, 45)):02d}:00Z"
            self.dates.append((stamp, m))
        self.topics_by_month = [rng.choices(TOPIC_NAMES, weights=[TOPICS[t][0][m] for t in TOPIC_NAMES], k=256)
                                for m in months]
        self.topic_sentences = {t: (s * 4)[:4] for t, (_, s, _) in TOPICS.items()}

        self.common = []
        for _ in range(1 << TABLE_BITS):
            picked = [rng.choice(frames) for frames in COMMON_TERMS.values() if rng.random() < COMMON_DF]
            self.common.append(" ".join(picked))
        self.mid = []
        for _ in range(1 << TABLE_BITS):
            picked = [rng.choice(MID_FRAMES).replace("{t}", t).replace("{p}", self.places[rng.getrandbits(12)])
                      for t in MID_TERMS if rng.random() < MID_DF[t]]
            self.mid.append(" ".join(picked) + " " if picked else "")
        # The JSONL writer pastes text into JSON strings unescaped; nothing here may need escaping.
        for text in itertools.chain(self.sentences, self.common, self.mid, self.places, OUTLETS, SURNAMES,
                                    FIRST_NAMES, RANKS, DATELINE_CITIES,
                                    *(s + [title] for _, s, title in TOPICS.values())):
            assert '"' not in text and "\\" not in text and "\n" not in text, text


_TABLES: dict[int, _Tables] = {}


def _tables(seed: int) -> _Tables:
    if seed not in _TABLES:
        if len(_TABLES) >= 3:  # ~60 MB each; keep the few seeds a process actually uses
            _TABLES.pop(next(iter(_TABLES)))
        _TABLES[seed] = _Tables(seed)
    return _TABLES[seed]


# --- articles ----------------------------------------------------------------------------------
# Internally an article is a tuple: (id, title, paragraphs, published, url, source, dateline,
# places, topics, people, near_dup_of). Paragraph text is kept pure ASCII, with the dateline
# dash and the quotation marks written as JSON escapes (DASH, LQUO, RQUO): ASCII strings join and
# encode several times faster, and the JSONL writer can paste them as they are. `_unescape`
# turns them into the real characters for everything else.
DASH, LQUO, RQUO = "\\u2014", "\\u201c", "\\u201d"


def _unescape(text: str) -> str:
    return text.replace(DASH, "\u2014").replace(LQUO, "\u201c").replace(RQUO, "\u201d")

def _raw_articles(n: int, seed: int) -> Iterator[tuple]:
    t = _tables(seed)
    rng = random.Random(seed)
    bits = rng.getrandbits
    chunks, places, outlets, dates, cities = t.chunks, t.places, t.outlets, t.dates, t.cities
    ranks, firsts, common, mid = t.ranks, t.first_names, t.common, t.mid
    topics_by_month, topic_sentences, titles = t.topics_by_month, t.topic_sentences, {k: v[2] for k, v in TOPICS.items()}
    surnames, n_surnames = SURNAMES, N_SURNAMES
    near_dup_cut = int(NEAR_DUP_RATE * 1024)
    undated_cut = int(UNDATED_RATE * 1024 + 0.5)
    recent: list[tuple] = []
    for i in range(n):
        aid = f"b{seed:02d}-{i:08d}"
        r = bits(128)
        if (r & 0x3FF) < near_dup_cut and recent:
            art = _near_duplicate(recent[(r >> 10) % len(recent)], aid, r >> 20, outlets)
            yield art
            continue
        published, month = dates[(r >> 10) & 0xFFFF]
        if ((r >> 26) & 0x3FF) < undated_cut:
            published = None
        month_topics = topics_by_month[month]
        topic = month_topics[(r >> 36) & 0xFF]
        second = month_topics[(r >> 54) & 0xFF] if ((r >> 44) & 0x3FF) < 307 else topic
        p1, p2, p3 = places[(r >> 62) & 0xFFF], places[(r >> 74) & 0xFFF], places[(r >> 86) & 0xFFF]
        source = outlets[(r >> 98) & 0x3FF]
        city = cities[(r >> 108) & 0xF]
        people_bits = bits(64)  # 24-bit draws keep the surname choice uniform to within 0.1 %
        s1 = surnames[(people_bits & 0xFFFFFF) * n_surnames >> 24]
        person = f"{ranks[(people_bits >> 24) & 0xF]} {firsts[(people_bits >> 28) & 0x3F]} {s1}"
        r = bits(128)
        own, other = topic_sentences[topic], topic_sentences[second]
        paragraphs = [
            f"{city}, {source}{DASH}" + own[r & 3].format(p=p1, q=p2, n=person),
            chunks[(r >> 2) & 0xFFFF] + " " + other[(r >> 18) & 3].format(p=p2, q=p3, n=person),
            common[(r >> 20) & 0x1FFF] + " " + chunks[(r >> 33) & 0xFFFF],
            f"{LQUO}We are waiting to see what happens next,{RQUO} said {s1}. " + chunks[(r >> 49) & 0xFFFF],
            mid[(r >> 65) & 0x1FFF] + chunks[(r >> 78) & 0xFFFF],
            own[(r >> 94) & 3].format(p=p3, q=p1, n=person) + " " + chunks[(r >> 96) & 0xFFFF],
        ]
        people = [person]
        if (r >> 112) & 1:
            resident = f"{firsts[(people_bits >> 58) & 0x3F]} {surnames[((people_bits >> 34) & 0xFFFFFF) * n_surnames >> 24]}"
            people.append(resident)
            paragraphs.append(f"{resident}, a resident of {p2}, gave a similar account.")
        url_date = published[:10].replace("-", "/") if published else "undated"
        art = (aid, titles[topic].format(p=p1), paragraphs, published,
               f"https://{OUTLET_DOMAINS[source]}/{url_date}/{topic}-{i}", source, city, [p1, p2, p3],
               [topic] if second == topic else [topic, second], people, None)
        recent.append(art)
        if len(recent) > 256:
            del recent[:128]
        yield art


def _near_duplicate(orig: tuple, aid: str, r: int, outlets: list[str]) -> tuple:
    """The same story run by another outlet: new dateline, one paragraph dropped, one added."""
    source = outlets[r & 0x3FF]
    if source == orig[5]:
        source = OUTLETS[(OUTLETS.index(source) + 1) % len(OUTLETS)]
    paragraphs = list(orig[2])
    paragraphs[0] = paragraphs[0].replace(f", {orig[5]}{DASH}", f", {source}{DASH}", 1)
    del paragraphs[1 + (r >> 10) % (len(paragraphs) - 1)]
    reporter = f"{FIRST_NAMES[(r >> 20) % len(FIRST_NAMES)]} {SURNAMES[(r >> 26) % N_SURNAMES]}"
    paragraphs.append(f"Additional reporting by {reporter}.")
    url_date = orig[3][:10].replace("-", "/") if orig[3] else "undated"
    return (aid, f"{orig[1]} - {source}", paragraphs, orig[3], f"https://{OUTLET_DOMAINS[source]}/{url_date}/{aid}",
            source, orig[6], orig[7], orig[8], orig[9] + [reporter], orig[0])


_KEYS = ("id", "title", "body", "published", "url", "source", "dateline", "places", "topics", "people",
         "near_dup_of")


def iter_articles(n: int, seed: int = DEFAULT_SEED) -> Iterator[dict]:
    """Yield `n` article dicts: id, title, body, published (ISO string, None for ~0.5 %), url,
    source, dateline, places, topics, people, near_dup_of (id of the story it copies, or None)."""
    for art in _raw_articles(n, seed):
        yield dict(zip(_KEYS, (art[0], art[1], _unescape("\n\n".join(art[2]))) + art[3:]))


# --- writers -----------------------------------------------------------------------------------

def _jsonl_line(art: tuple) -> str:
    # Every piece of text is free of characters JSON must escape (checked in _Tables), so the
    # line is assembled directly: 3-4x faster than json.dumps on 2-3 KB bodies.
    published = f'"{art[3]}"' if art[3] else "null"
    return (f'{{"title": "{art[1]}", "body": "' + "\\n\\n".join(art[2])
            + f'", "published": {published}, "url": "{art[4]}", "source": "{art[5]}"}}')


def write_jsonl(path: str | Path, n: int, seed: int = DEFAULT_SEED, progress=None) -> int:
    """Write `n` articles as JSON lines (title, body, published, url, source). Returns bytes written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as f:
        batch: list[str] = []
        for i, art in enumerate(_raw_articles(n, seed), 1):
            batch.append(_jsonl_line(art))
            if len(batch) == 5000:
                f.write("\n".join(batch) + "\n")
                batch.clear()
                if progress:
                    progress(i)
        if batch:
            f.write("\n".join(batch) + "\n")
    return path.stat().st_size


def write_json_document(path: str | Path, n: int, seed: int = DEFAULT_SEED, progress=None) -> int:
    """Write the articles of write_jsonl as one JSON document, an API page:
    {"status": "ok", "articles": [...]}, one article object per line. Returns bytes written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as f:
        f.write('{"status": "ok", "articles": [\n')
        for i, art in enumerate(_raw_articles(n, seed), 1):
            f.write(("" if i == 1 else ",\n") + _jsonl_line(art))
            if progress and i % 5000 == 0:
                progress(i)
        f.write("\n]}\n")
    return path.stat().st_size


def render_text_page(art: dict) -> str:
    """A scraped-archive text page: banner, title line, media id, caption three times, body."""
    caption = f"A street in {art['places'][0]}. (File)"
    posted = ""
    if art["published"]:
        y, m, d = art["published"][:10].split("-")
        posted = f"Posted on {_MONTHS[int(m) - 1]} {int(d)} {y}\n\n"
    media_id = 50_000_000 + int(art["id"].rsplit("-", 1)[1])
    return (f"Middle-east Arab News Opinion | {art['source']}\n\n"
            f"{art['title']} | {art['source'].upper()} English Archive 2005 -2017\nSelect Page\n"
            f"Media ID: {media_id}\nCaption:\n\n{caption}\n\n\n{caption}\n\n{caption}\n\n"
            f"{posted}{art['body']}\n")


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]


def render_html_page(art: dict) -> str:
    """An article page with metadata, body paragraphs and site chrome."""
    e = html.escape
    meta = f'<meta property="article:published_time" content="{art["published"]}">' if art["published"] else ""
    body = "".join(f"<p>{e(p)}</p>\n" for p in art["body"].split("\n\n"))
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{e(art['title'])} | {e(art['source'])}</title>\n"
            f'<meta property="og:site_name" content="{e(art["source"])}">\n{meta}\n'
            f'<link rel="canonical" href="{e(art["url"])}">\n</head>\n<body>\n'
            f'<header><a href="/">{e(art["source"])}</a><nav><a href="/world">World</a> <a href="/syria">Syria</a> '
            f'<a href="/opinion">Opinion</a></nav></header>\n'
            f"<main><article>\n<h1>{e(art['title'])}</h1>\n{body}</article>\n"
            f'<aside class="related"><a href="/latest">Latest stories</a></aside></main>\n'
            f"<footer>&copy; {e(art['source'])} | <a href=\"/about\">About</a></footer>\n</body>\n</html>\n")


def _write_pages(directory: str | Path, n: int, seed: int, render, suffix: str, progress=None) -> int:
    root = Path(directory)
    written = 0
    shard_dir = None
    for i, art in enumerate(iter_articles(n, seed)):
        if i % SHARD_SIZE == 0:
            shard_dir = root / f"{i // SHARD_SIZE:05d}"
            shard_dir.mkdir(parents=True, exist_ok=True)
            if progress and i:
                progress(i)
        data = render(art).encode("utf-8")
        with open(shard_dir / f"{i:08d}{suffix}", "wb") as f:
            f.write(data)
        written += len(data)
    return written


def write_text_pages(directory: str | Path, n: int, seed: int = DEFAULT_SEED, progress=None) -> int:
    """Write `n` archive-text pages as DIR/00000/00000000.txt, 1,000 per sub-folder. Returns bytes."""
    return _write_pages(directory, n, seed, render_text_page, ".txt", progress)


def write_html_pages(directory: str | Path, n: int, seed: int = DEFAULT_SEED, progress=None) -> int:
    """Write `n` HTML pages as DIR/00000/00000000.html, 1,000 per sub-folder. Returns bytes."""
    return _write_pages(directory, n, seed, render_html_page, ".html", progress)


# --- CLI ---------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.corpus",
        description="Generate a synthetic benchmark corpus (deterministic for a given seed).",
        epilog="Example:\n  python -m bench.corpus --articles 1000000 --format jsonl --out bench/out/corpus.jsonl\n"
               "  python -m bench.corpus --articles 50000 --format text --out bench/out/pages",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, required=True, help="number of articles")
    parser.add_argument("--format", choices=["jsonl", "text", "html"], default="jsonl")
    parser.add_argument("--out", type=Path, required=True, help="output file (jsonl) or folder (text, html)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if args.articles < 0:
        parser.error("--articles must be >= 0")

    start = time.perf_counter()
    step = max(args.articles // 20, 1)

    def progress(i: int) -> None:
        if i % step < (2000 if args.format == "jsonl" else SHARD_SIZE):
            rate = i / (time.perf_counter() - start)
            print(f"\r{i:,}/{args.articles:,} articles ({rate:,.0f}/s)", end="", file=sys.stderr, flush=True)

    writer = {"jsonl": write_jsonl, "text": write_text_pages, "html": write_html_pages}[args.format]
    size = writer(args.out, args.articles, args.seed, progress=progress)
    seconds = time.perf_counter() - start
    print(file=sys.stderr)
    print(f"wrote {args.articles:,} articles ({size / 1e6:,.1f} MB, {size / max(args.articles, 1):,.0f} bytes/article) "
          f"as {args.format} to {args.out} in {seconds:.1f} s ({args.articles / seconds:,.0f} articles/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
