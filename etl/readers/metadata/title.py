"""The headline of an HTML page, chosen by agreement between its title sources: `<title>`,
og:title and the other title meta tags, JSON-LD headline, the visible `<h1>`s and entry titles
(see the package's docstring)."""
from __future__ import annotations

import re

from etl.readers.metadata.page import PageFacts, fold, site_keys


# " | ", " - ", " – ", " — ", " :: ", " » ", " « ", " · ", " • ", " ~ ": what sites put between
# a headline and their name. A bare "|" counts too; a bare "-" does not (hyphenated words).
_SEPARATOR = re.compile(r"\s+(?:[-–—~•·»«]|::)\s+|\s*\|\s*")
# segments that name no article: archive sections of blog software and generic labels
_GENERIC_SEGMENTS = {"blogarchiv", "blogarchive", "archiv", "archive", "home", "startseite", "news",
                     "blog", "accueil", "inicio", "homepage", "aktuelles", "aktuell", "nachrichten"}


def _names_site(segment: str, keys: set[str]) -> bool:
    """Whether a title segment is the site's name ("Netz Für Alle" for netzfueralle.…)."""
    f = fold(segment)
    if not f:
        return True
    if f in _GENERIC_SEGMENTS:
        return True
    for key in keys:
        if f == key or (len(key) >= 4 and (key in f and len(f) <= len(key) + 12 or f in key and len(f) >= 4)):
            return True
        # "bibliothek2null" for "Bibliothek 2.0 und mehr": a long common start
        # (not a headline that merely opens with the site's name: "The Guardian view on …")
        common = len(_common_prefix(f, key))
        if common >= 7 and common >= 0.6 * min(len(f), len(key)) and len(f) <= len(key) + 12:
            return True
    return False


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return a[:n]


def _split(text: str) -> tuple[list[str], list[str]]:
    """Segments of a title and the separators between them."""
    parts = _SEPARATOR.split(text)
    seps = [m.group(0).strip() for m in _SEPARATOR.finditer(text)]
    return parts, seps


_SITE_LAST = ("|", "«", "·", "::", "•")
# real titles carry the site's name two or three times at most ("Site: Section : Headline : Site")
_MAX_SITE_CUTS = 6
_SPACED_COLON = re.compile(r"^(.*\S)\s+:\s+([^:]{2,60})$")
_CJK_SITE = re.compile(r"^(.{5,}[\u4e00-\u9fff！？。」）》”])\s?[-_|—–]\s?"
                       r"([\u4e00-\u9fff]{0,8}(?:网|網|报|報|新闻|新聞|在线|在線|频道|頻道|百科))$")
_SITE_COLON = re.compile(r"^([^:|]{2,60}?):\s+(\S.*)$")
# a host name as a title segment, a trailing separator of its own left on it ("example.de //")
_HOST_SEGMENT = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6}(?:\s*[/|:»]+)?$", re.IGNORECASE)


def clean_title(text: str | None, keys: set[str], banners: frozenset[str] | set[str] = frozenset()
                ) -> tuple[str | None, set[str]]:
    """(the headline part of a <title>-like text, the folded segments judged to be the site's).

    Segments naming the site are dropped from either end; what remains, when it still has
    separators, follows the usual layouts: "Headline | Site", "Headline - Site",
    "Site » Blog Archive » Headline", "Headline « Site". A segment equal to one of `banners`
    (folded texts of the page's banner headings: the blog's name over every post) is the site's.
    """
    if not text:
        return None, set()
    # the site's names cut from either end in turn, a few times at most: a hostile title
    # repeating them ("Site: Site: Site: …") must neither recurse nor loop once per repetition
    cut_site: set[str] = set()
    for _ in range(_MAX_SITE_CUTS):
        # a Chinese site's name glued on with "-" or "_" ("…城！-新华网", "…_国际新闻_新浪网"): a
        # last segment of Han characters ending in a word for a site, a paper or a channel
        if (cjk := _CJK_SITE.match(text)) is not None:
            cut_site.add(fold(cjk.group(2)))
            text = cjk.group(1)
            continue
        # "Headline : Site" (a spaced colon, as some magazines' templates write): cut only when
        # the last part names the site, since a spaced colon is also French punctuation inside a title
        spaced = _SPACED_COLON.match(text)
        if spaced and (keys or banners) and (_names_site(spaced.group(2), keys) or fold(spaced.group(2)) in banners) \
                and fold(spaced.group(2)) not in _GENERIC_SEGMENTS:
            cut_site.add(fold(spaced.group(2)))
            text = spaced.group(1)
            continue
        # "Site: Headline": cut only when the part before the colon is the site's declared name,
        # or its host's, whole; a colon after a place or a topic ("Syria: …") is the headline's own
        lead = _SITE_COLON.match(text)
        if lead and (fold(lead.group(1)) in keys or fold(lead.group(1)) in banners) \
                and fold(lead.group(1)) not in _GENERIC_SEGMENTS and len(lead.group(2).split()) >= 2:
            cut_site.add(fold(lead.group(1)))
            text = lead.group(2)
            continue
        break
    cut, site = _clean_segments(text, keys, banners)
    return cut, site | cut_site


def _clean_segments(text: str, keys: set[str], banners: frozenset[str] | set[str]) -> tuple[str, set[str]]:
    """`clean_title` once the site's names at either end are cut: the segments between
    separators."""
    parts, seps = _split(text)
    if len(parts) == 1 or not all(p.strip() for p in parts):
        return text, set()
    site: set[str] = set()
    # a segment that is a host name ("mediaarchitecture.de //", "nj.com") is the site's
    # whichever other segment also names it: it goes first, so that the one left is the other
    # ("mediaarchitecture.de // » Jens Weber" on Jens Weber's own site is "Jens Weber")
    for end in (-1, 0):
        if len(parts) > 1 and _HOST_SEGMENT.match(parts[end].strip()):
            site.add(fold(parts.pop(end)))
            seps.pop(end)
    while len(parts) > 1 and (_names_site(parts[-1], keys) or fold(parts[-1]) in banners):
        site.add(fold(parts.pop()))
        seps.pop()
    while len(parts) > 1 and (_names_site(parts[0], keys) or fold(parts[0]) in banners):
        site.add(fold(parts.pop(0)))
        seps.pop(0)
    # "Headline | Site - Its tagline": the site named in the middle, a slogan after it
    for i in range(1, len(parts) - 1):
        f = fold(parts[i])
        if f not in _GENERIC_SEGMENTS and (_names_site(parts[i], keys) or f in banners):
            site |= {fold(p) for p in parts[i:]}
            parts, seps = parts[:i], seps[:i - 1]
            break
    if len(parts) > 1:
        if seps[-1] == "»" or (seps[0] == "»" and all(sep == "»" for sep in seps)):
            parts, seps = parts[-1:], []        # "Site » Blog Archive » Headline"
        elif seps[-1] in _SITE_LAST and len(parts[-1].split()) <= 4:
            while len(parts) > 1 and seps and seps[-1] in _SITE_LAST and len(parts[-1].split()) <= 4:
                site.add(fold(parts.pop()))
                seps.pop()
        elif seps[0] == "|" and len(parts[0].split()) <= 4 < len(" ".join(parts[1:]).split()):
            parts, seps = parts[1:], seps[1:]   # "Site Name | A longer headline", "Section | Headline"
    out = parts[0]
    for sep, part in zip(seps, parts[1:]):
        out += f" {sep} {part}" if sep != "|" else f" | {part}"
    return out.strip() or text, site


def _prefix_suffix_folds(text: str) -> set[str]:
    """Folded joins of a title's leading and trailing segments: the headline a heading may equal."""
    parts, _ = _split(text)
    out = set()
    for i in range(1, len(parts)):
        out.add(fold(" ".join(parts[:i])))
        out.add(fold(" ".join(parts[i:])))
    return out


# a separator left at either end once a segment is gone ("» Going mobile in 1998" in a blog
# whose <title> is "Blog Name » Headline" with the name left blank); a separator glued to the
# word is a quotation mark ("»Abzocke …«", "«Gute Löhne …»") and stays, as does French
# spacing ("« Il y a … »"). A bullet of brackets and arrows before a heading ("[> Jens Weber")
# goes too.
_EDGE_SEPARATOR = re.compile(r"^(?:[-–—~•·»|]|::|[\[\]<>›→]{1,3})\s+|\s+(?:[-–—~•·«]|::)$|\s*\|$")


def trim_separators(text: str | None) -> str | None:
    """A headline candidate without a separator left dangling at its start or end."""
    if not text:
        return text
    return _EDGE_SEPARATOR.sub("", text.strip()).strip() or text


def section_folds(url: str | None) -> set[str]:
    """Folded directory names of the page's address, the last part (the story's slug) left
    out: "/gift_guide/sports_items/2014/12/slug" -> {"giftguide", "sportsitems"}. A heading
    or title equal to one of them names the section the story is filed in, not the story."""
    match = re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//[^/?#]+(/[^?#]*)", url or "", re.IGNORECASE)
    if not match:
        return set()
    parts = [p for p in match.group(1).split("/") if p]
    words = [len(re.split(r"[-_+.]+", p)) for p in parts]
    # a section is named in one to three words and has stories under it: a directory
    # followed by more directories (dates, subsections) or by a story's slug of four words or
    # more. A longer directory, or one holding a single short file name
    # ("/essen-westviertel/essenwestviertel.htm", "/nachhaltigkeit/s10009344"), is the page's own.
    return {fold(p) for i, p in enumerate(parts[:-1])
            if words[i] <= 3 and (i < len(parts) - 2 or words[-1] >= 4)
            and len(fold(p)) >= 4 and not fold(p).isdigit()}


class _Votes:
    """Votes for headline candidates, by folded text; the first spelling seen is shown."""

    def __init__(self) -> None:
        self.scores: dict[str, float] = {}
        self.shown: dict[str, str] = {}

    def vote(self, text: str | None, weight: float) -> None:
        text = trim_separators(text)
        f = fold(text)
        if not f or text is None or len(text) > 250:
            return
        self.scores[f] = self.scores.get(f, 0.0) + weight
        self.shown.setdefault(f, text)


def choose_title(facts: PageFacts, fallback: str | None = None, hostname: str | None = None) -> str | None:
    """The page's headline, chosen by agreement between its title sources (see the package's
    docstring). `fallback` is trafilatura's title, used when the page offers nothing else."""
    keys = site_keys(facts, hostname)
    meta_texts = [facts.ld_headline, facts.meta.get("og:title"), facts.meta.get("twitter:title"),
                  facts.meta.get("title"), facts.meta.get("headline"), facts.meta.get("dc.title")]
    banners = {fold(text) for text in facts.banner_h1}
    title_clean, site_segments = clean_title(facts.title_tag, keys, banners)
    cleaned_meta = []
    for text in meta_texts:
        cleaned, site = clean_title(text, keys, banners)
        site_segments |= site
        cleaned_meta.append(cleaned)
    agreed = _agreed_headlines(facts, meta_texts, title_clean, cleaned_meta, site_segments)
    article_h1 = _article_headings(facts, agreed)
    entries = list(dict.fromkeys(facts.entry_titles))
    stray = _stray_headings(article_h1, cleaned_meta[0], [title_clean, *cleaned_meta[1:]], fallback,
                            facts.entry_titles)
    article_h1 = [t for t in article_h1 if t not in stray]
    votes = _Votes()
    _vote_headings(votes, facts, article_h1, entries, _breadcrumb_sections(facts.title_tag, title_clean))
    for text in stray:
        votes.vote(text, 0.5)
    h2 = _h2_headline(facts, [title_clean, *cleaned_meta])
    votes.vote(h2, 2.0)
    votes.vote(_title_vote(title_clean, [*cleaned_meta, *article_h1, *entries, h2]), 1.5)
    for text in dict.fromkeys(t for t in cleaned_meta if t):
        votes.vote(text, 1.0)
    _support_headline_parts(votes.scores, facts, meta_texts, title_clean, site_segments)
    if fallback:
        votes.vote(fallback, 0.25)
    # a heading or <title> naming the section the story is filed in ("Sports Items" over a
    # story at /gift_guide/sports_items/…) wins only when nothing else is offered
    best = _winner(votes.scores, site_segments, keys | section_folds(facts.url))
    return votes.shown[best] if best is not None else (trim_separators(fallback) or None)


_WORD = re.compile(r"\w{4,}")


def _words(text: str | None) -> set[str]:
    return {fold(w) for w in _WORD.findall(text or "")}


def _h2_headline(facts: PageFacts, said: list[str | None]) -> str | None:
    """The <h2> that stands for the headline on a page without one in <h1> (older blog and
    CMS themes give the site's name the <h1>, or no <h1> at all, and the story's title an
    <h2>): the page's first <h2> of two words or more outside furniture, when it shares a
    word with what <title> or the metadata say the headline is, or a one-word <h2> before it
    that they name whole. One-word <h2>s they do not name are labels ("Details",
    "Kategorien") and are passed over. The first only: further <h2>s are the story's sections ("Was sind Smart Glasses?") or a sidebar's. A page with an
    <h1> other than the site's banner keeps it as its heading, furniture or not (a
    rewritten headline in an <h2> under it is the teaser's)."""
    if facts.h1 or set(facts.furniture_h1) - set(facts.banner_h1):
        return None
    said_words = set().union(*(_words(t) for t in said))
    for text in facts.h2:
        if len(text.split()) >= 2:
            return text if _words(text) & said_words else None
        if any(t and fold(t) == fold(text) for t in said):
            return text     # a one-word headline <title> repeats ("Baumgutachten")
    return None


def _stray_headings(article_h1: list[str], ld_headline: str | None, others: list[str | None],
                    fallback: str | None, visible: list[str] | None = None) -> list[str]:
    """Headings that are not the story's although no class says so: the JSON-LD headline
    (the story's own record) and <title> or og:title agree on one headline, and the heading
    shares no word with them nor with trafilatura's title, unless that title is the heading
    itself ("Aktuelle Artikel" over a story list beside the story, "No matches for your
    search" of a search box). A headline rewritten for the metadata still shares a word with
    it. <title> and og:title agreeing alone are not enough: og:title is often <title> copied,
    and on a company's page the visible heading is the headline ("About Us - Site" over "The
    strategic Think & Do Tank"). Nor is one beside an entry title (`entry-title`, `post-title`)
    that <title> repeats whole ("Popular posts" in a sidebar's <h1>): a plain <h2> that <title>
    repeats may be a section's name ("About us")."""
    if not article_h1:
        return []
    title = others[0] if others else None
    by_ld = bool(ld_headline) and any(t and fold(t) == fold(ld_headline) for t in others)
    by_heading = bool(title) and len((title or "").split()) >= 2 \
        and any(fold(v) == fold(title) for v in visible or [])
    if not (by_ld or by_heading):
        return []
    said = set().union(*(_words(t) for t in [ld_headline, *others]))
    # trafilatura's title counts unless it is the heading itself (it often takes the <h1>)
    stray = [h for h in article_h1 if _words(h) and not _words(h) & said
             and (not fallback or fold(fallback) == fold(h) or not _words(h) & _words(fallback))]
    # agreed by a heading only: every <h1> stray, or none (one that shares words with <title>
    # stays the page's heading, and the others' votes stay split)
    return stray if by_ld or len(stray) == len(article_h1) else []


def _agreed_headlines(facts: PageFacts, meta_texts: list[str | None], title_clean: str | None,
                      cleaned_meta: list[str | None], site_segments: set[str]) -> set[str]:
    """What <title> and the metadata say the headline is (folded), with every join of their
    leading or trailing segments, less the site's own segments."""
    agreed = {fold(title_clean), *(fold(t) for t in cleaned_meta if t)}
    for raw in [facts.title_tag, *meta_texts]:
        if raw:
            agreed |= _prefix_suffix_folds(raw)
    agreed -= site_segments
    agreed.discard("")
    return agreed


def _article_headings(facts: PageFacts, agreed: set[str]) -> list[str]:
    """The article's <h1>s, each as its headline: the text after a kicker, or the part of a
    heading made of a kicker and a headline that the title sources agree with."""
    article_h1 = []
    for text in dict.fromkeys(facts.h1):
        if text in facts.h1_kicker:
            text = facts.h1_kicker[text]
        elif fold(text) not in agreed:
            text = next((p for p in facts.h1_parts.get(text, ()) if fold(p) in agreed), text)
        article_h1.append(text)
    return article_h1


def _breadcrumb_sections(title_tag: str | None, title_clean: str | None) -> set[str]:
    """Folded inner segments of a <title> laid out as a trail ("Site - News » The headline"),
    of one or two words, when the headline it ends on is longer: the section the story is
    filed in, which some themes also print as the page's <h1>."""
    if not title_tag or not title_clean or len(title_clean.split()) < 3:
        return set()
    parts, _ = _split(title_tag)
    return {fold(p) for p in parts[1:-1] if len(p.split()) <= 2 and fold(p) != fold(title_clean)}


def _vote_headings(votes: _Votes, facts: PageFacts, article_h1: list[str], entries: list[str],
                   sections: frozenset[str] | set[str] = frozenset()) -> None:
    """The visible headings' votes, cast first: on a tie the visible headline wins. A one-word
    heading beside a longer one is a section's ("Anwendung", "Comments") and does not make the
    longer one share; so is a heading that <title> names as a section of its trail
    (`_breadcrumb_sections`)."""
    multiword = [t for t in article_h1 if len(t.split()) >= 2]
    for text in article_h1:
        if fold(text) in sections:
            votes.vote(text, 0.5)
            continue
        # one headline of two words or more is the article's on most pages
        alone = len(article_h1) == 1 or (len(multiword) == 1 and text in multiword)
        votes.vote(text, (3.5 if len(text.split()) >= 2 else 2.0) if alone else 0.8)
    for text in entries:
        votes.vote(text, 1.5 if len(entries) == 1 else 0.5)
    for text in dict.fromkeys(facts.furniture_h1):
        votes.vote(text, 0.5)


def _title_vote(title_clean: str | None, others: list[str | None]) -> str | None:
    """What <title>'s vote goes to: "Blog Name: Headline" where og:title or a heading is the
    headline alone votes for that shorter text."""
    title_fold = fold(title_clean)
    shorter = [t for t in others
               if t and fold(t) != title_fold and len(fold(t)) >= 0.4 * len(title_fold)
               and (title_fold.startswith(fold(t)) or title_fold.endswith(fold(t)))]
    return shorter[0] if shorter else title_clean


def _support_headline_parts(scores: dict[str, float], facts: PageFacts, meta_texts: list[str | None],
                            title_clean: str | None, site_segments: set[str]) -> None:
    """A candidate equal to the headline part of <title> or og:title gets their support too."""
    for raw, weight in [(facts.title_tag, 1.0)] + [(t, 0.6) for t in dict.fromkeys(m for m in meta_texts if m)]:
        if not raw:
            continue
        joins = _prefix_suffix_folds(raw) - site_segments
        for f in list(scores):
            if f in joins and f != fold(title_clean if raw is facts.title_tag else raw):
                scores[f] += weight


def _winner(scores: dict[str, float], site_segments: set[str], keys: set[str]) -> str | None:
    """The best-scored candidate that is not the site's name (the first seen on a tie)."""
    best, best_score = None, 0.0
    for f, score in scores.items():
        # the site's name, or a generic label ("Home", "News") as a <title>, beside a headline
        if f in site_segments or ((f in keys or f in _GENERIC_SEGMENTS) and len(scores) > 1):
            continue
        if score > best_score:
            best, best_score = f, score
    return best
