"""Title, publication date and author of an HTML page, chosen from the page's own markup
before trafilatura's and htmldate's guesses.

A page states its metadata in several places: Open Graph and Twitter tags, JSON-LD
(schema.org `NewsArticle`, `BlogPosting`...), microdata (`itemprop`), `<time>` elements, the
`<title>`, the visible `<h1>`, byline elements. Each of them is wrong on some pages: `<title>`
and og:title carry the site's name ("… | eHow", "Site — …"), an `<h1>` can be the blog's name,
a logo or a comment form's "Leave a Reply", `dateModified` is later than the story, a byline
reads "By Jane Doe, Dec 3". So every source is read, cleaned, and the answer is the value the
sources agree on. `page_metadata` does it in one pass over the parsed tree.
"""
from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from etl.text import normalise_whitespace

# ---- small text helpers ---------------------------------------------------------------------

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NON_ALNUM = re.compile(r"[\W_]+")


def fold(text: str | None) -> str:
    """Lower-cased letters and digits only, umlauts spelled out and accents dropped: the key
    two spellings of a title or a site name ("Netz Für Alle", "netzfueralle") compare by."""
    text = (text or "").lower().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    return _NON_ALNUM.sub("", "".join(c for c in text if not unicodedata.combining(c)))


def _text(element) -> str:
    return normalise_whitespace(element.text_content() or "").replace("\xad", "")


# ---- containers whose headings are not the article's ------------------------------------------

# class/id words of page furniture: comment sections and forms, newsletter and subscription
# boxes, logos and site titles, navigation, sidebars, footers, pop-ups. A class token is
# furniture when one of its words is ("comment-respond", "site-footer"), unless it names a
# layout wrapper around the content ("content-sidebar-wrap", "st-sidebar__container").
_FURNITURE_WORDS = {"comment", "comments", "respond", "reply", "replies", "newsletter", "subscribe",
                    "subscription", "signup", "logo", "sitename", "nav", "navbar", "navigation", "menu",
                    "sidebar", "footer", "popup", "modal", "cookie", "cookies"}
_SITE_TITLE = ({"site", "blog"}, {"title", "name", "branding", "description"})
_LAYOUT_WORDS = {"wrap", "wrapper", "container", "content", "main", "layout", "has", "with", "page",
                 "body", "above", "below", "template", "col", "inner", "article", "post"}
_FURNITURE = re.compile(r"\b(?:" + "|".join(sorted(_FURNITURE_WORDS)) + r"|site-title|site-name)\b", re.IGNORECASE)


# WordPress and others put the post's categories and tags in its classes ("category-newsletter")
_TAXONOMY = {"category", "tag", "tags", "postid", "anlass", "format", "type"}


def _furniture_marks(marks: str) -> bool:
    """Whether class/id values name page furniture (see _FURNITURE_WORDS)."""
    if not _FURNITURE.search(marks):
        return False
    for token in marks.lower().split():
        words = re.split(r"[-_]+", token)
        if words[0] in _TAXONOMY:
            continue
        words = set(words)
        if (words & _FURNITURE_WORDS or (words & _SITE_TITLE[0] and words & _SITE_TITLE[1])) \
                and not words & _LAYOUT_WORDS:
            return True
    return False


_FURNITURE_TAGS = {"nav", "footer", "aside", "form"}
# a heading that invites to subscribe is a newsletter box's, whatever its classes
_FURNITURE_HEADING = re.compile(r"\b(?:newsletter|subscribe|abonnieren|inscrivez-vous|suscr[ií]bete)\b", re.IGNORECASE)


def _in_furniture(element) -> bool:
    """Whether an element sits in page furniture (see _FURNITURE), up to the <body>.

    """
    node = element.getparent()
    while node is not None and node.tag not in ("body", "html"):
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _FURNITURE_TAGS:
            return True
        marks = f"{node.get('class', '')} {node.get('id', '')}"
        if marks.strip() and _furniture_marks(marks):
            return True
        if tag == "a" and (node.get("href") or "").rstrip("/") in ("", "/", "."):
            return True     # a heading linked to the home page: the site's name
        node = node.getparent()
    return False


def _inside(element, tag: str) -> bool:
    node = element.getparent()
    while node is not None:
        if node.tag == tag:
            return True
        node = node.getparent()
    return False


# ---- what the page says ---------------------------------------------------------------------

_ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                  "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "techarticle",
                  "scholarlyarticle", "socialmediaposting", "liveblogposting", "report", "webpage",
                  "posting", "discussionforumposting", "howto", "recipe", "creativework", "videoobject",
                  "medicalwebpage", "qapage", "itempage", "aboutpage", "collectionpage", "product", "event"}
_NEWSY_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "techarticle",
                "scholarlyarticle", "socialmediaposting", "liveblogposting", "report", "posting",
                "discussionforumposting"}


@dataclass
class PageFacts:
    """Everything the markup says about title, date, author and site, per source."""

    meta: dict[str, str] = field(default_factory=dict)          # lower-cased name/property -> content
    title_tag: str | None = None
    h1: list[str] = field(default_factory=list)                 # article headings (not furniture)
    h1_parts: dict[str, list[str]] = field(default_factory=dict)  # h1 text -> texts of its parts
    h1_kicker: dict[str, str] = field(default_factory=dict)       # h1 text -> the headline after its kicker
    furniture_h1: list[str] = field(default_factory=list)
    entry_titles: list[str] = field(default_factory=list)       # class="entry-title" / "post-title"...
    ld_headline: str | None = None
    ld_published: str | None = None
    ld_modified: str | None = None
    ld_authors: list[str] = field(default_factory=list)
    site_names: list[str] = field(default_factory=list)
    itemprop_published: str | None = None
    time_pubdate: str | None = None
    rel_authors: list[str] = field(default_factory=list)
    byline_authors: list[str] = field(default_factory=list)
    url: str | None = None
    tree: object = field(default=None, repr=False)
    _bylines_read: bool = field(default=False, repr=False)

    def bylines(self) -> PageFacts:
        """These facts with the page's bylines and microdata read too (`_read_bylines`)."""
        if not self._bylines_read and self.tree is not None:
            self._bylines_read = True
            _read_bylines(self)
        return self


_ENTRY_TITLE = re.compile(r"\b(?:entry-title|post-title|article-title|article__title|article-headline|"
                          r"headline|story-title|content-title|page-title|td-post-title|single-title)\b",
                          re.IGNORECASE)


def _heading_parts(element, text: str) -> list[str]:
    """The pieces a heading is made of: a kicker and a headline in two spans ("Nach
    Corona-Lockerungen" + "Autohäuser rechnen mit …"), or a headline and a subtitle."""
    parts = []
    for child in element.iter():
        if child is element or not isinstance(child.tag, str):
            continue
        part = _text(child)
        if part and part != text and len(part.split()) >= 2:
            parts.append(part)
            if text.startswith(part):
                parts.append(text[len(part):].strip(" :-–—|"))
            elif text.endswith(part):
                parts.append(text[: -len(part)].strip(" :-–—|"))
    return [p for p in parts if p]


# elements that format words inside a headline; a kicker is a block or span of its own
_INLINE_FORMAT = {"em", "i", "b", "strong", "a", "q", "cite", "abbr", "mark", "u", "sup", "sub", "br", "img"}


def _headline_after_kicker(element, text: str) -> str | None:
    """The headline of a heading that opens with a kicker in an element of its own
    ("<h1><span>Nach Corona-Lockerungen</span> <span>Autohäuser rechnen …</span></h1>",
    "Open Progress" over an Economist headline): the rest, when the kicker is short (at
    most six words, shorter than the rest) and is no lead-in ending in a colon, which
    belongs to the headline ("Editor's Letter: bye …")."""
    if (element.text or "").strip() or not len(element):
        return None
    first = element[0]
    if not isinstance(first.tag, str) or first.tag in _INLINE_FORMAT:
        return None
    kicker = _text(first)
    if not kicker or not text.startswith(kicker) or kicker.rstrip().endswith((":", "?", "!", ".")):
        return None
    rest = text[len(kicker):].strip(" :-–—|")
    if len(kicker.split()) > 6 or len(rest.split()) < 3 or len(kicker) >= len(rest):
        return None
    return rest


def _ld_objects(value, depth: int = 0):
    """Every JSON object in a JSON-LD value (lists and @graph included), depth-bounded."""
    if depth > 6:
        return
    if isinstance(value, list):
        for item in value[:50]:
            yield from _ld_objects(item, depth + 1)
    elif isinstance(value, dict):
        yield value
        graph = value.get("@graph")
        if graph is not None:
            yield from _ld_objects(graph, depth + 1)
        main = value.get("mainEntity")
        if isinstance(main, (dict, list)):
            yield from _ld_objects(main, depth + 1)


def _ld_types(obj: dict) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower().rsplit("/", 1)[-1] for k in kinds if k}


def _ld_names(value) -> list[str]:
    """Names of a JSON-LD author value: a string, an object with `name`, or a list of them."""
    out = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, str):
                out.append(name)
            elif isinstance(item.get("givenName"), str):
                out.append(f"{item.get('givenName')} {item.get('familyName') or ''}")
    return [normalise_whitespace(n) for n in out if n and normalise_whitespace(n)]


def _read_json_ld(facts: PageFacts, text: str) -> None:
    try:
        data = json.loads(text)
    except ValueError:
        try:        # a trailing comma or a stray control character: common, and harmless
            data = json.loads(re.sub(r",\s*([}\]])", r"\1", text.strip().rstrip(";")), strict=False)
        except ValueError:
            return
    best = None
    for obj in _ld_objects(data):
        kinds = _ld_types(obj)
        if kinds & {"website", "organization", "newsmediaorganization"} and isinstance(obj.get("name"), str):
            facts.site_names.append(obj["name"])
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            facts.site_names.append(publisher["name"])
        if kinds & _ARTICLE_TYPES:
            rank = 0 if kinds & _NEWSY_TYPES else 1
            if best is None or rank < best[0]:
                best = (rank, obj)
    if best is None:
        return
    obj = best[1]
    headline = obj.get("headline") or (obj.get("name") if best[0] == 0 else None)
    if isinstance(headline, str) and headline.strip() and facts.ld_headline is None:
        facts.ld_headline = normalise_whitespace(html.unescape(headline))
    for key, attr in (("datePublished", "ld_published"), ("dateCreated", "ld_published"),
                      ("dateModified", "ld_modified")):
        value = obj.get(key)
        if isinstance(value, str) and value.strip() and getattr(facts, attr) is None:
            setattr(facts, attr, value.strip())
    if not facts.ld_authors:
        facts.ld_authors = _ld_names(obj.get("author") or obj.get("creator"))


# class words of byline elements (in class, id or data-testid: "prism-byline"); every <div>,
# <span> and <p> is tested, so this stays one unanchored pattern
_BYLINE_ATTRIBUTES = ("class", "id", "data-testid")
_BYLINE_CLASS = re.compile(r"byline|author|autor|auteur|writer|posted-by|creator|vcard", re.IGNORECASE)



def page_facts(tree) -> PageFacts:
    """Read the metadata-bearing elements of a parsed page: meta tags, <title>, headings,
    JSON-LD, <time>, <link>. The page's links, spans, divs and paragraphs (bylines,
    microdata) are read later and only when needed (`PageFacts.bylines`): they are most of
    a page's elements, and a walk over them costs a sixth of trafilatura's extraction."""
    facts = PageFacts()
    facts.tree = tree
    for element in tree.iter("meta", "title", "h1", "h2", "script", "time", "link"):
        tag = element.tag
        if tag == "meta":
            key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
            content = element.get("content")
            if key and content and content.strip() and key not in facts.meta:
                facts.meta[key] = normalise_whitespace(content)
            if (element.get("itemprop") or "").lower() == "datepublished" and content and not facts.itemprop_published:
                facts.itemprop_published = content.strip()
        elif tag == "title":
            if facts.title_tag is None and not _inside(element, "svg"):
                facts.title_tag = _text(element) or None
        elif tag in ("h1", "h2"):
            text = _text(element)
            if not text or len(text) > 300:
                continue
            marks = f"{element.get('class', '')} {element.get('itemprop', '')}"
            furniture = _in_furniture(element)
            if _ENTRY_TITLE.search(marks) and not furniture:
                facts.entry_titles.append(text)
            if tag == "h1":
                furniture = furniture or _furniture_marks(marks) or _FURNITURE_HEADING.search(text) is not None
                (facts.furniture_h1 if furniture else facts.h1).append(text)
                if len(element):
                    facts.h1_parts[text] = _heading_parts(element, text)
                    if (headline := _headline_after_kicker(element, text)) is not None:
                        facts.h1_kicker[text] = headline
        elif tag == "script":
            if (element.get("type") or "").lower().strip() == "application/ld+json" and element.text:
                _read_json_ld(facts, element.text)
        elif tag == "time":
            if facts.time_pubdate is None and element.get("pubdate") is not None:
                facts.time_pubdate = element.get("datetime") or _text(element)
            if (element.get("itemprop") or "").lower() == "datepublished" and not facts.itemprop_published:
                facts.itemprop_published = element.get("datetime") or _text(element)
        elif (element.get("rel") or "").lower() == "canonical" and element.get("href"):
            facts.url = facts.url or element.get("href")
    for key in ("og:site_name", "application-name", "twitter:site", "publisher", "dc.publisher"):
        if facts.meta.get(key):
            facts.site_names.append(facts.meta[key].lstrip("@"))
    facts.url = facts.url or facts.meta.get("og:url")
    return facts


def _read_bylines(facts: PageFacts) -> None:
    """rel=author links, itemprop author and datePublished, and byline-classed elements,
    outside page furniture (comment sections above all)."""
    for element in facts.tree.iter("a", "span", "div", "p"):
        get = element.get
        tag = element.tag
        itemprop = get("itemprop")
        if itemprop is None:
            if tag == "a":
                if get("rel") is None:
                    continue
            elif not any((marks := get(attr)) is not None and _BYLINE_CLASS.search(marks) is not None
                         for attr in _BYLINE_ATTRIBUTES):
                continue
        itemprop = (itemprop or "").lower()
        if tag == "a":
            if (get("rel") or "").lower() == "author" or itemprop == "author":
                name = _text(element)
                if name and not _in_furniture(element):
                    (facts.rel_authors if itemprop != "author" else facts.byline_authors).append(name)
        elif itemprop == "datepublished":
            facts.itemprop_published = facts.itemprop_published or get("content") or get("datetime") or _text(element)
        elif itemprop in ("author", "creator"):
            names = element.xpath(".//*[@itemprop='name']")
            name = (names[0].get("content") or _text(names[0])) if names else _text(element)
            if name and not _in_furniture(element):
                facts.byline_authors.append(name)
        elif len(facts.byline_authors) < 10 and len(element) < 8:
            name = _text(element)
            if name and len(name) < 120 and not _in_furniture(element):
                facts.byline_authors.append(name)


# ---- title ------------------------------------------------------------------------------------

# " | ", " - ", " – ", " — ", " :: ", " » ", " « ", " · ", " • ", " ~ ": what sites put between
# a headline and their name. A bare "|" counts too; a bare "-" does not (hyphenated words).
_SEPARATOR = re.compile(r"\s+(?:[-–—~•·»«]|::)\s+|\s*\|\s*")
# segments that name no article: archive sections of blog software and generic labels
_GENERIC_SEGMENTS = {"blogarchiv", "blogarchive", "archiv", "archive", "home", "startseite", "news",
                     "blog", "accueil", "inicio", "homepage", "aktuelles", "aktuell", "nachrichten"}
_HOST_NOISE = {"www", "com", "org", "net", "de", "at", "ch", "co", "uk", "fr", "it", "es", "eu", "info",
               "blog", "blogspot", "wordpress", "web", "archive", "m", "amp", "edition", "news", "html",
               "www2", "en", "int", "gov", "edu", "io"}
_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//([^/?#:]+)", re.IGNORECASE)


_SITE_ADDRESS = re.compile(r"\s*\([^()]*\)|\s*(?:https?://|www\.)\S+")


def site_keys(facts: PageFacts, hostname: str | None = None) -> set[str]:
    """Folded names the site goes by: its declared names and the labels of its host name."""
    keys = {fold(name) for name in facts.site_names if len(fold(name)) >= 3}
    # "Deutsche Welle (www.dw.com)": the name without the address it carries
    keys |= {f for f in (fold(_SITE_ADDRESS.sub("", name)) for name in facts.site_names) if len(f) >= 3}
    urls = [facts.url or "", hostname or ""]
    # an archived copy names the original after its own address: ".../web/2014.../http://site/..."
    urls += re.findall(r"https?://[^\s\"']+", (facts.url or "")[8:])
    for url in urls:
        match = _HOST.match(url) if "//" in url else re.match(r"([^/?#:]+)", url)
        if not match:
            continue
        for label in match.group(1).lower().split("."):
            key = fold(label)
            if len(key) >= 3 and label not in _HOST_NOISE:
                keys.add(key)
    return keys


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


def clean_title(text: str | None, keys: set[str]) -> tuple[str | None, set[str]]:
    """(the headline part of a <title>-like text, the folded segments judged to be the site's).

    Segments naming the site are dropped from either end; what remains, when it still has
    separators, follows the usual layouts: "Headline | Site", "Headline - Site",
    "Site » Blog Archive » Headline", "Headline « Site".
    """
    if not text:
        return None, set()
    parts, seps = _split(text)
    if len(parts) == 1 or not all(p.strip() for p in parts):
        return text, set()
    site: set[str] = set()
    while len(parts) > 1 and _names_site(parts[-1], keys):
        site.add(fold(parts.pop()))
        seps.pop()
    while len(parts) > 1 and _names_site(parts[0], keys):
        site.add(fold(parts.pop(0)))
        seps.pop(0)
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


def choose_title(facts: PageFacts, fallback: str | None = None, hostname: str | None = None) -> str | None:
    """The page's headline, chosen by agreement between its title sources (see the module's
    docstring). `fallback` is trafilatura's title, used when the page offers nothing else."""
    keys = site_keys(facts, hostname)
    scores: dict[str, float] = {}
    shown: dict[str, str] = {}
    site_segments: set[str] = set()

    def vote(text: str | None, weight: float) -> None:
        f = fold(text)
        if not f or len(text) > 250:
            return
        scores[f] = scores.get(f, 0.0) + weight
        shown.setdefault(f, text)

    meta_texts = [facts.ld_headline, facts.meta.get("og:title"), facts.meta.get("twitter:title"),
                  facts.meta.get("title"), facts.meta.get("headline"), facts.meta.get("dc.title")]
    title_clean, title_site = clean_title(facts.title_tag, keys)
    site_segments |= title_site
    cleaned_meta = []
    for text in meta_texts:
        cleaned, site = clean_title(text, keys)
        site_segments |= site
        cleaned_meta.append(cleaned)
    # what <title> and the metadata say the headline is: a heading made of a kicker and a
    # headline votes for the part they agree with
    agreed = {fold(title_clean), *(fold(t) for t in cleaned_meta if t)}
    for raw in [facts.title_tag, *meta_texts]:
        if raw:
            agreed |= _prefix_suffix_folds(raw)
    agreed -= site_segments
    agreed.discard("")
    article_h1 = []
    for text in dict.fromkeys(facts.h1):
        if text in facts.h1_kicker:
            text = facts.h1_kicker[text]
        elif fold(text) not in agreed:
            text = next((p for p in facts.h1_parts.get(text, ()) if fold(p) in agreed), text)
        article_h1.append(text)
    # headings first: on a tie the visible headline wins. A one-word heading beside a longer
    # one is a section's ("Anwendung", "Comments") and does not make the longer one share
    multiword = [t for t in article_h1 if len(t.split()) >= 2]
    for text in article_h1:
        # one headline of two words or more is the article's on most pages
        alone = len(article_h1) == 1 or (len(multiword) == 1 and text in multiword)
        vote(text, (3.5 if len(text.split()) >= 2 else 2.0) if alone else 0.8)
    entries = list(dict.fromkeys(facts.entry_titles))
    for text in entries:
        vote(text, 1.5 if len(entries) == 1 else 0.5)
    for text in dict.fromkeys(facts.furniture_h1):
        vote(text, 0.5)
    # "Blog Name: Headline" where og:title or a heading is the headline alone: the title's
    # vote goes to that shorter text
    title_fold = fold(title_clean)
    shorter = [t for t in [*cleaned_meta, *article_h1, *entries]
               if t and fold(t) != title_fold and len(fold(t)) >= 0.4 * len(title_fold)
               and (title_fold.startswith(fold(t)) or title_fold.endswith(fold(t)))]
    vote(shorter[0] if shorter else title_clean, 1.5)
    for text in dict.fromkeys(t for t in cleaned_meta if t):
        vote(text, 1.0)
    # a heading equal to the headline part of <title> or og:title gets their support too
    for raw, weight in [(facts.title_tag, 1.0)] + [(t, 0.6) for t in dict.fromkeys(m for m in meta_texts if m)]:
        if not raw:
            continue
        joins = _prefix_suffix_folds(raw) - site_segments
        for f in list(scores):
            if f in joins and f != fold(title_clean if raw is facts.title_tag else raw):
                scores[f] += weight
    if fallback:
        vote(fallback, 0.25)
    best, best_score = None, 0.0
    for f, score in scores.items():
        if f in site_segments or (f in keys and len(scores) > 1):
            continue
        if score > best_score:
            best, best_score = f, score
    return shown[best] if best is not None else (fallback or None)


# ---- publication date -----------------------------------------------------------------------

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


def choose_date(facts: PageFacts, guessed: str | None, data: bytes) -> tuple[str | None, list[str]]:
    """(the publication date to store, the impossible declared dates found on the way).

    The declared publication dates (`published_candidates`) come first; htmldate's guess
    (`guessed`, "YYYY-MM-DD") is taken when it agrees with one of them, or when the page
    declares none. A guess of 1 January (or of the 1st) that the page never writes out is
    htmldate's reading of a bare year (month): it is kept as "YYYY" ("YYYY-MM"), which the
    date parser stores with year (month) precision, never as a day.
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
    try:
        guess = date.fromisoformat(guessed[:10]) if guessed else None
    except ValueError:
        guess = None
    if guess is not None and (guess in days or not days):
        if guess.day == 1 and guess not in days and not _written(data, guess, month_only=False):
            if guess.month == 1 and not _written(data, guess, month_only=True):
                return f"{guess.year}", problems
            return f"{guess.year}-{guess.month:02d}", problems
        return guess.isoformat(), problems
    return (days[0].isoformat() if days else None), problems


# ---- author -----------------------------------------------------------------------------------

_MONTHS = (r"jan(?:uary|uar|vier)?|feb(?:ruary|ruar)?|mar(?:ch)?|märz|apr(?:il)?|may|mai|jun(?:e|i)?|jul(?:y|i)?|"
           r"aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?|dez(?:ember)?|"
           # French, Spanish, Italian, Portuguese and Dutch names: "par Didier Roy, 21 juin 2018"
           r"janvier|f[ée]vrier|mars|avril|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|"
           r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|sep?tiembre|octubre|noviembre|diciembre|"
           r"gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|janeiro|fevereiro|"
           r"mar[cç]o|maio|junho|julho|outubro|novembro|dezembro|januari|februari|maart|mei|augustus")
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:posted|written|published|geschrieben|veröffentlicht|verfasst|erstellt|publié|escrito|scritto)"
    r"(?:\s+on\b.*?)?\s+(?:by|von|par|por|da|di)\b|by|von|vom|par|por|de|di|door|av|text|texte|autor|autorin|"
    r"author|auteur|redakteur|reporter|written by|a cura di|текст|автор|авторы|بقلم|كتب|كتبت|إعداد)"
    r"\s*[:.–-]?\s+", re.IGNORECASE)
# "ByJ.R. Stone": the byline's label and the name in two elements, no space between
_GLUED_BY = re.compile(r"^(?:By|BY|Von|VON|Par|Por)(?=[A-Z][a-z.])")
# a weekday or "Published" glued after the name by the byline's layout: "Malcolm Owen Monday"
_GLUED_AFTER = re.compile(r"(?<=\w)\s+(?:published|updated|posted|veröffentlicht|aktualisiert|monday|tuesday|"
                          r"wednesday|thursday|friday|saturday|sunday)\b.*$", re.IGNORECASE)
_BY_INSIDE = re.compile(r"^.*?\b(?:by|von)\s+(?=[A-Z])", re.IGNORECASE)
_TRAILERS = re.compile(r"\s*[→»›>]+\s*$")
# "Art Edwards says:": how comment sections introduce a commenter
_COMMENTER = re.compile(r"\s(?:says|sagt|schreibt|dit|dice|writes|meint)\s*:?\s*$", re.IGNORECASE)
# "View all posts by Jane Doe", "Zeige alle Beiträge von Jane Doe →"
_ALL_POSTS = re.compile(r"\b(?:posts|beiträge|articles|artikel|stories|entries|einträge)\s+(?:by|von|de|par)\s+(.+)$",
                        re.IGNORECASE)
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "montag", "dienstag",
             "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "lundi", "mardi", "mercredi", "jeudi",
             "vendredi", "samedi", "dimanche"}
# a date, a time, an e-mail address or a URL, and everything after it
_AFTER_NAME = re.compile(
    rf"(?:^|\s*[|,•·–—-]\s*|\s+|(?<=[a-z]))(?:(?:on|am|le|el|il|den|updated|aktualisiert)\s+)?"
    rf"(?:\d{{1,4}}[./-]\d|(?:{_MONTHS})\.?\s*\d|\d{{1,2}}\.?\s+(?:de\s+)?(?:{_MONTHS})\b|\d{{1,2}}:\d\d|"
    rf"\S+@\S+|https?://|www\.).*$", re.IGNORECASE)
# a label and its value, left once a byline's own label is cut
_LABEL_VALUE = re.compile(rf"^[^:\d,|]{{1,30}}?\s?:\s*(?:\d|(?:{_MONTHS})\b)", re.IGNORECASE)
_MONTH_ONLY = re.compile(rf"^(?:{_MONTHS})\.?$", re.IGNORECASE)
_NOT_NAMES = {"username", "user", "name", "admin", "administrator", "author", "autor", "auteur", "by", "posted",
              "von", "editor", "editors", "staff", "guest", "gast", "anonymous", "anonym", "unknown",
              "seefullbio", "fullbio", "bio", "more", "read more", "follow", "contact", "kontakt", "email",
              "comments", "comment", "share", "webmaster", "team", "home", "news", "facebook", "twitter",
              "ihrname", "yourname", "namerequired", "nameerforderlich", "none", "null", "abonnieren",
              "subscribe", "login", "anmelden", "profile", "profil", "alleartikel", "allarticles", "die", "der",
              "das", "the", "la", "le", "el"}


# a byline's first word that no name starts with: "See full bio", "Veröffentlicht am" left
# once no name follows
_NOT_FIRST_WORDS = {"see", "view", "more", "alle", "all", "mehr", "posted", "published", "veroeffentlicht",
                    "geschrieben", "verfasst", "erstellt", "updated", "aktualisiert", "publie", "publicado",
                    "pubblicato", "gepostet", "last", "submitted", "eingereicht"}
# a photo's credit, not the story's author: "Foto: Ingo Schneider", "Photo / AFP"
_CREDIT = re.compile(r"^(?:fotos?|photos?|bilder?|images?|credits?|quelle|source|grafik|illustration)\s*[:/©|]",
                     re.IGNORECASE)
# "ca. 8 Min.", "5 min read": a reading time in the byline row
_READING_TIME = re.compile(r"\d+\s*(?:min|mins|minutes|minuten|minutos)\b", re.IGNORECASE)
# the job title after a name: "Christoph Hein Chefredakteur", "Jane Doe, Reporter"
_ROLE_AFTER = re.compile(r"[\s,|–—-]+(?:chefredakteur(?:in)?|redakteur(?:in)?|editor(?:-in-chief)?|reporter(?:in)?|"
                         r"correspondent|korrespondent(?:in)?|journalist(?:in)?|staff writer|senior writer)\.?$",
                         re.IGNORECASE)


def clean_author(raw: str | None, keys: set[str] = frozenset()) -> str | None:
    """A person's (or a desk's) name from a byline, or None when the text names nobody.

    "By Jane Doe" -> "Jane Doe"; "Posted on September 21, 2020 by Adi Tzlil" -> "Adi Tzlil";
    "Jane DoeDec 3, 2019" -> "Jane Doe"; "Jane Doe | jane@paper.com" -> "Jane Doe"; "Username",
    "See full bio", "Dec", a date, an e-mail address, a URL or the site's own name -> None.
    """
    text = normalise_whitespace(html.unescape(raw or "")).strip(" |,:;-–—·•")
    if not text or len(text) > 150 or _COMMENTER.search(text):
        return None
    if (posts := _ALL_POSTS.search(text)) is not None:
        text = posts.group(1)
    if re.match(r"^(?:posted|published|veröffentlicht|geschrieben)\b", text, re.IGNORECASE) and \
            re.search(r"\b(?:by|von)\s+[A-Z]", text, re.IGNORECASE):
        text = _BY_INSIDE.sub("", text, count=1)
    text = _GLUED_BY.sub("", text)
    for _ in range(2):
        text = _BYLINE_PREFIX.sub("", text, count=1).strip(" |,:;-–—")
    if _LABEL_VALUE.match(text):
        return None     # "Stand: 20. April 2020", "En kiosques : juillet 2020": a label and its date
    text = _TRAILERS.sub("", text)
    text = _AFTER_NAME.sub("", text).strip(" |,:;-–—·•()")
    text = _GLUED_AFTER.sub("", text)
    text = re.sub(r"\s*\((?:[^()]*)\)$", "", text).strip()
    if _CREDIT.match(text) or _READING_TIME.search(text):
        return None
    text = _ROLE_AFTER.sub("", text)
    f = fold(text)
    if not f or f.isdigit() or len(text.split()) > 8 or _MONTH_ONLY.match(text):
        return None
    if "?" in text or f in _WEEKDAYS:
        return None
    if f in _NOT_NAMES or fold(text.split()[0]) in _NOT_FIRST_WORDS \
            or any(fold(w) in ("says", "sagt", "schreibt", "required", "erforderlich") for w in text.split()):
        return None
    return text


def _names_publisher(name: str, keys: set[str]) -> bool:
    """Whether an author value is the site's or publisher's own name ("Deutsche Welle",
    "Mdr.de", "Die FURCHE", "Google" on googleblog.com): equal to one of its folded names,
    or to one with an article or a domain ending added or dropped."""
    f = fold(name)
    for key in keys:
        if f == key:
            return True
        longer, shorter = (f, key) if len(f) > len(key) else (key, f)
        if len(shorter) >= 4 and (longer.startswith(shorter) or longer.endswith(shorter)) \
                and len(longer) - len(shorter) <= 4:
            return True
    return False


_META_AUTHOR = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl",
                "dcterms.creator", "twitter:creator")


def choose_author(facts: PageFacts, fallback: str | None = None, hostname: str | None = None,
                  body: str = "") -> str | None:
    """The article's author(s), "; "-joined: trafilatura's guess (`fallback`, from the meta
    tags, JSON-LD and bylines), else a byline or signature in the article text
    (`byline_in_text`), else JSON-LD author, meta author, rel=author and itemprop
    author links outside comment sections, byline elements; each cleaned by `clean_author`,
    the first that names someone wins. A source naming only the site or its publisher
    ("Deutsche Welle", "Mdr De") gives way to any later source naming someone else: news
    sites put their own name in the author fields and the reporter's in the byline; a
    one-person blog named after its author still gets that name when nothing else is found."""
    keys = site_keys(facts, hostname)
    publisher = None

    def person(names: list[str]) -> list[str]:
        nonlocal publisher
        people = [n for n in names if not _names_publisher(n, keys)]
        if names and not people and publisher is None:
            publisher = names[0]
        return people

    first = [n for n in (clean_author(part, keys) for part in html.unescape(fallback or "").split(";")) if n]
    if found := person(list(dict.fromkeys(first))):
        return "; ".join(found)
    if (signed := byline_in_text(body)) is not None and person([signed]):
        return signed
    facts.bylines()
    meta = [facts.meta.get(k) for k in _META_AUTHOR]
    meta += [v for k, v in facts.meta.items() if k.endswith("author") and k not in _META_AUTHOR]
    sources = [facts.ld_authors, [m for m in meta if m and not m.startswith(("http", "@"))],
               facts.rel_authors, facts.byline_authors]
    for names in sources:
        found = person(list(dict.fromkeys(n for n in (clean_author(name, keys) for name in names[:6]) if n)))
        if found:
            return "; ".join(found[:4]) if names is facts.ld_authors else found[0]
    return publisher


# "Von Jane Doe", "By Jane Doe and John Roe", "Text von Jane Doe", "Autorin: Jane Doe" opening or
# closing the article text
_ROLE_WORDS = r"(?!(?:Illustrations?|Fotos?|Foto:|Bilder?|Photos?|Grafik|Redaktion|Mitarbeit)\b)"
_NAME_WORD = rf"{_ROLE_WORDS}[A-ZÀ-ÖØ-Þ][\w.'’-]+"
_TEXT_BYLINE = re.compile(
    rf"^(?i:by|von|text(?:\s+von)?|texte|autor(?:in)?|author|par|por|di)\s*:?\s+"
    rf"({_NAME_WORD}(?:\s+(?:{_NAME_WORD}|von|van|de|der|den|du|da|und|and|&|et|y)){{0,6}})", re.UNICODE)
# a closing line that is a name and nothing else ("Stefan Wasmer"), as news sites sign articles
_SIGNATURE = re.compile(rf"^{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}}$", re.UNICODE)


def byline_in_text(body: str) -> str | None:
    """An author named by a byline line at the start or the end of the article text, or by
    a signature closing it."""
    lines = [line.strip() for line in (body or "").split("\n") if line.strip()]
    for line in lines[:3] + lines[-3:]:
        if len(line) > 120:
            continue
        match = _TEXT_BYLINE.match(line)
        if match:
            name = clean_author(match.group(1).rstrip(" ,.-"))
            if name:
                return name
    if lines and len(lines) > 2 and _SIGNATURE.match(lines[-1]) and not lines[-1].isupper() \
            and not lines[-1].endswith("."):
        return clean_author(lines[-1])
    return None
