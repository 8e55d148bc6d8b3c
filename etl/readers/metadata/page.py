"""What an HTML page's markup says about its title, date, author and site, per source
(`page_facts` -> `PageFacts`), and the names the site goes by (`site_keys`).
"""
from __future__ import annotations

import copy
import html
import json
import re
import unicodedata
from dataclasses import dataclass, field

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


def _heading_text(element) -> tuple[str, str | None]:
    """(a heading's text with a line break in it read as a space, "Five killed<br>in Homs";
    the text as text_content() and the page's serialised text read it, lines glued, when
    that differs, else None)."""
    if element.find(".//br") is None:
        return _text(element), None
    glued = _text(element)
    element = copy.deepcopy(element)
    for br in element.iter("br"):
        br.tail = " " + (br.tail or "")
    text = _text(element)
    return text, (glued if glued != text else None)


# ---- containers whose headings are not the article's ------------------------------------------

# class/id words of page furniture: comment sections and forms, newsletter and subscription
# boxes, logos and site titles, navigation, sidebars, footers, pop-ups. A class token is
# furniture when one of its words is ("comment-respond", "site-footer"), unless it names a
# layout wrapper around the content ("content-sidebar-wrap", "st-sidebar__container").
_FURNITURE_WORDS = {"comment", "comments", "respond", "reply", "replies", "newsletter", "subscribe",
                    "subscription", "signup", "logo", "sitename", "nav", "navbar", "navigation", "menu",
                    "sidebar", "footer", "popup", "modal", "cookie", "cookies", "masthead", "branding"}
_SITE_TITLE = ({"site", "blog"}, {"title", "name", "branding", "description", "header"})
_LAYOUT_WORDS = {"wrap", "wrapper", "container", "content", "main", "layout", "has", "with", "page",
                 "body", "above", "below", "template", "col", "inner", "article", "post"}
_FURNITURE = re.compile(r"\b(?:" + "|".join(sorted(_FURNITURE_WORDS)) + r"|site-title|site-name|site-header|blog-header)\b",
                        re.IGNORECASE)
# the id of the page's banner in classic blog themes (WordPress, Blogger): `<div id="header">`
_BANNER_IDS = {"header", "header-inner", "masthead", "branding", "site-header", "top-header"}


# WordPress and others put the post's categories and tags in its classes ("category-newsletter")
_TAXONOMY = {"category", "tag", "tags", "postid", "anlass", "format", "type"}


# words of a wrapper's own class ("vw-page-wrapper", "content_block", "container-single",
# "post-wrap"): beside them, a class naming the sidebar says where the wrapper puts it
# ("vw-blog-sidebar-postition-right", "right-sidebar", "sidebar-on"), the wrapper holding the
# story too. Grid columns ("col-md-4") are not among them: sidebars carry those.
_WRAPPER_WORDS = {"wrap", "wrapper", "container", "content", "main", "page", "article", "layout", "body"}


def _furniture_marks(marks: str) -> bool:
    """Whether class/id values name page furniture (see _FURNITURE_WORDS)."""
    if not _FURNITURE.search(marks):
        return False
    tokens = [re.split(r"[-_]+", token) for token in marks.lower().split()]
    wrapper = any(set(words) & _WRAPPER_WORDS and not set(words) & _FURNITURE_WORDS for words in tokens)
    for words in tokens:
        if words[0] in _TAXONOMY:
            continue
        found = set(words) & _FURNITURE_WORDS
        if (found or (set(words) & _SITE_TITLE[0] and set(words) & _SITE_TITLE[1])) \
                and not set(words) & _LAYOUT_WORDS and not (wrapper and found == {"sidebar"}):
            return True
    return False


_FURNITURE_TAGS = {"nav", "footer", "aside", "form"}
# a heading that invites to subscribe is a newsletter box's, whatever its classes
_FURNITURE_HEADING = re.compile(r"\b(?:newsletter|subscribe|abonnieren|inscrivez-vous|suscr[ií]bete)\b", re.IGNORECASE)


def in_furniture(element) -> bool:
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
        if tag == "a" and _links_home(node.get("href") or ""):
            return True     # a heading linked to the home page: the site's name
        if (node.get("id") or "").lower() in _BANNER_IDS and not _inside(node, "article"):
            return True
        node = node.getparent()
    return False


_BANNER_MARKS = re.compile(r"\b(?:site-title|site-name|site-branding|blog-title|logo|branding|masthead)\b",
                           re.IGNORECASE)


def _in_banner(element) -> bool:
    """Whether a heading is the site's banner: linked to the home page, inside the theme's
    banner (`<div id="header">`), or marked as the site's title, logo or branding."""
    node = element
    while node is not None and node.tag not in ("body", "html"):
        if node.tag == "a" and _links_home(node.get("href") or ""):
            return True
        if (node.get("id") or "").lower() in _BANNER_IDS:
            return True
        if _BANNER_MARKS.search(f"{node.get('class', '')} {node.get('id', '')}"):
            return True
        node = node.getparent()
    # the heading's own link
    return any(_links_home(a.get("href") or "") for a in element.iter("a"))


_HOME = re.compile(r"^(?:(?:https?:)?//[^/?#]+)?/?(?:index\.\w+)?(?:[?#].*)?$", re.IGNORECASE)


def _links_home(href: str) -> bool:
    """Whether a link points at a site's home page: "", "/", ".", "http://site.example/",
    "/?locale=de-DE", "index.html"."""
    href = href.strip()
    if href.startswith("#"):
        return False        # an anchor on the page itself
    return href in ("", ".", "./") or _HOME.match(href) is not None


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
    # heading text with its line breaks read as spaces -> the text as lxml serialises it
    # (lines glued: "Five killedin Homs"), to find the heading in the page's visible text
    glued_headings: dict[str, str] = field(default_factory=dict)
    h1_kicker: dict[str, str] = field(default_factory=dict)       # h1 text -> the headline after its kicker
    furniture_h1: list[str] = field(default_factory=list)
    h2: list[str] = field(default_factory=list)                 # <h2>s outside furniture, in page order
    banner_h1: list[str] = field(default_factory=list)          # the site's name over every page (`_in_banner`)
    entry_titles: list[str] = field(default_factory=list)       # class="entry-title" / "post-title"...
    ld_headline: str | None = None
    ld_published: str | None = None
    ld_modified: str | None = None
    ld_authors: list[str] = field(default_factory=list)
    site_names: list[str] = field(default_factory=list)
    itemprop_published: str | None = None
    time_pubdate: str | None = None
    time_published: str | None = None       # <time class="published" datetime=…>
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
            elif isinstance(name, list):    # "name": ["Jane Doe"] (some German publishers' CMS)
                out.extend(n for n in name[:6] if isinstance(n, str))
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
            _read_meta(facts, element)
        elif tag == "title":
            if facts.title_tag is None and not _inside(element, "svg"):
                facts.title_tag = _text(element) or None
        elif tag in ("h1", "h2"):
            _read_heading(facts, element, tag)
        elif tag == "script":
            if (element.get("type") or "").lower().strip() == "application/ld+json" and element.text:
                _read_json_ld(facts, element.text)
        elif tag == "time":
            _read_time(facts, element)
        elif (element.get("rel") or "").lower() == "canonical" and element.get("href"):
            facts.url = facts.url or element.get("href")
    for key in ("og:site_name", "application-name", "twitter:site", "publisher", "dc.publisher"):
        if facts.meta.get(key):
            facts.site_names.append(facts.meta[key].lstrip("@"))
    facts.url = facts.url or facts.meta.get("og:url")
    if "parsely-page" in facts.meta:
        _read_parsely_page(facts, facts.meta["parsely-page"])
    return facts


PARSELY_PAGE_AUTHORS = "parsely-page authors"


def _read_parsely_page(facts: PageFacts, text: str) -> None:
    """Parse.ly's older single tag, a JSON object (`<meta name="parsely-page" content='{"title":
    …, "pub_date": …, "authors": [...]}'>`): its authors, under a key of their own
    ("parsely-page authors"), a source of names after the other meta tags. It does not count as
    the page declaring an author: the tag is often stale (another story's writer). Its date is
    htmldate's to read (a UTC stamp, read there against the page's own)."""
    try:
        data = json.loads(text)
    except ValueError:
        return
    if not isinstance(data, dict):
        return
    authors = data.get("authors") or data.get("author")
    names = [a for a in (authors if isinstance(authors, list) else [authors])[:6] if isinstance(a, str) and a.strip()]
    if names:
        facts.meta.setdefault(PARSELY_PAGE_AUTHORS, "; ".join(names))


def _read_meta(facts: PageFacts, element) -> None:
    """A <meta> tag: its content under its (first-seen) name, and a microdata datePublished."""
    key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
    content = element.get("content")
    if key and content and content.strip() and key not in facts.meta:
        facts.meta[key] = normalise_whitespace(content)
    if (element.get("itemprop") or "").lower() == "datepublished" and content and not facts.itemprop_published:
        facts.itemprop_published = content.strip()


def _read_heading(facts: PageFacts, element, tag: str) -> None:
    """An <h1> or <h2>: an entry title when classed as one; an <h1> is the article's heading
    or furniture, with its parts and the headline after a kicker; an <h2> outside furniture
    is kept for pages without an <h1> (`title._h2_headline`)."""
    text, glued = _heading_text(element)
    if not text or len(text) > 300:
        return
    if glued is not None:
        facts.glued_headings[text] = glued
    marks = f"{element.get('class', '')} {element.get('itemprop', '')} {element.get('id', '')}"
    furniture = in_furniture(element)
    if _ENTRY_TITLE.search(marks) and not furniture:
        facts.entry_titles.append(text)
    if tag == "h2":
        if not furniture and len(facts.h2) < 20:
            facts.h2.append(text)
    elif tag == "h1":
        furniture = furniture or _furniture_marks(marks) or _FURNITURE_HEADING.search(text) is not None
        (facts.furniture_h1 if furniture else facts.h1).append(text)
        if furniture and _in_banner(element):
            facts.banner_h1.append(text)
        if len(element):
            facts.h1_parts[text] = _heading_parts(element, text)
            if (headline := _headline_after_kicker(element, text)) is not None:
                facts.h1_kicker[text] = headline


_PUBLISHED_TIME_CLASS = re.compile(r"(?:^|\s)(?:dt-)?published(?:\s|$)")


def _read_time(facts: PageFacts, element) -> None:
    """A <time> element marked pubdate or itemprop=datePublished."""
    if facts.time_pubdate is None and element.get("pubdate") is not None:
        facts.time_pubdate = element.get("datetime") or _text(element)
    elif facts.time_published is None and element.get("datetime") \
            and _PUBLISHED_TIME_CLASS.search(element.get("class") or "") and not in_furniture(element):
        # WordPress themes print `<time class="entry-date published">` and `<time
        # class="updated">`, in either order; microformats mark `dt-published`
        facts.time_published = element.get("datetime")
    if (element.get("itemprop") or "").lower() == "datepublished" and not facts.itemprop_published:
        facts.itemprop_published = element.get("datetime") or _text(element)


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
                if name and not in_furniture(element):
                    (facts.rel_authors if itemprop != "author" else facts.byline_authors).append(name)
        elif itemprop == "datepublished":
            facts.itemprop_published = facts.itemprop_published or get("content") or get("datetime") or _text(element)
        elif itemprop in ("author", "creator"):
            names = element.xpath(".//*[@itemprop='name']")
            name = (names[0].get("content") or _text(names[0])) if names else _text(element)
            if name and not in_furniture(element):
                facts.byline_authors.append(name)
        elif len(facts.byline_authors) < 10 and len(element) < 8:
            name = _text(element)
            if name and len(name) < 120 and not in_furniture(element):
                facts.byline_authors.append(name)


# ---- the site's names ----------------------------------------------------------------------

_HOST_NOISE = {"www", "com", "org", "net", "de", "at", "ch", "co", "uk", "fr", "it", "es", "eu", "info",
               "blog", "blogspot", "wordpress", "web", "archive", "m", "amp", "edition", "news", "html",
               "www2", "en", "int", "gov", "edu", "io"}
_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//([^/?#:]+)", re.IGNORECASE)


_SITE_ADDRESS = re.compile(r"\s*\([^()]*\)|\s*(?:https?://|www\.)\S+")
_SITE_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s+[»:]{1,2}\s+")


def site_keys(facts: PageFacts, hostname: str | None = None) -> set[str]:
    """Folded names the site goes by: its declared names and the labels of its host name."""
    keys = {fold(name) for name in facts.site_names if len(fold(name)) >= 3}
    # "Deutsche Welle (www.dw.com)": the name without the address it carries
    keys |= {f for f in (fold(_SITE_ADDRESS.sub("", name)) for name in facts.site_names) if len(f) >= 3}
    # a declared site name that is the whole "Headline | Site" (a CMS filling og:site_name
    # with the page's <title>): the segments other than the headline are the site's
    headlines = {fold(h) for h in (*facts.h1, facts.ld_headline, facts.meta.get("og:title")) if h}
    for name in facts.site_names:
        segments = [fold(part) for part in _SITE_SEPARATOR.split(name)]
        if len(segments) > 1 and any(segment in headlines for segment in segments):
            keys |= {segment for segment in segments if len(segment) >= 3 and segment not in headlines}
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
