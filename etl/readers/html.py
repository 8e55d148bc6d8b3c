"""Reader for HTML article pages: trafilatura for body and metadata, htmldate (through
trafilatura) for the publication date. One page, one article.

The page is parsed once: the lxml tree is handed to trafilatura, which extracts text and
metadata from it in one call.

Extraction runs in two steps. trafilatura's main extractor goes first, on its own
(`fast`). Only when it returns less than FULL_EXTRACTION_BELOW characters does the page get
trafilatura's full extraction, which also runs readability and jusText and keeps the best
text. The fallbacks change the result almost only on such pages, and the metadata is not
extracted twice. On the gold sets (`python -m etl evaluate`, body as stored):
* article-extraction benchmark, 181 news pages: F1 0.963, as with the full extraction on
  every page (0.963); 14.5 % less extraction time;
* trafilatura evaluation pages, gold snippets: F1 0.925 against 0.926 (main extractor
  alone: 0.920); 8 % less time;
* newspaper4k fixtures, 168 pages: F1 0.807 against 0.810 (main extractor alone: 0.788).
"""
from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Iterator
from typing import Any

import trafilatura
from trafilatura.utils import load_html

from etl.errors import EmptyInput, MalformedInput, NotAnArticle
from etl.model import ItemError, RawArticle
from etl.readers.archive_text import not_an_article
from etl.readers.metadata.author import (_names_publisher, choose_author, names_desk, names_site_desk,
                                         wire_credit)
from etl.readers.metadata.page import page_facts, site_keys
from etl.readers.metadata.published import choose_date
from etl.readers.metadata.title import choose_title
from etl.readers.page_bylines import (author_in_link_address, copyright_holder, post_author_in_comments,
                                      printed_byline, printed_only_in_other_stories)
from etl.readers.page_dates import shown_date
from etl.text import language_code, normalise_whitespace, paragraphs

FORMAT = "html"

# trafilatura logs every page it finds no text in; the reader reports that itself.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)
# dateutil warns when htmldate hands it a date with a time zone name it does not know
# ("Thu Mar 8 2012 10:00 EST"); the day is still read, and the warning only cluttered the
# ingest's output.
warnings.filterwarnings("ignore", message=r"tzname .* identified but not understood")


# Main-extractor text shorter than this (characters) gets the full extraction. Chosen on the
# gold sets: at 500 the snippet recall of the full extraction is not recovered; from 1,000 to
# 2,500 nothing more is gained. 8 % of the benchmark's news pages and 12 % of the
# evaluation pages fall under it.
FULL_EXTRACTION_BELOW = 1000


@functools.cache
def _options(fast: bool = True, metadata: bool = True):
    """trafilatura's extraction settings, built once per process: bare_extraction otherwise
    builds them from its configuration file on every page (~0.1 ms). trafilatura supports a
    shared Extractor (it copies one before changing it). `fast` skips the readability and
    jusText fallbacks; the metadata (title, date, author...) does not depend on it, and the
    text does not depend on `metadata` (checked on the 1,171 gold pages)."""
    from trafilatura.settings import DEFAULT_CONFIG, Extractor
    return Extractor(config=DEFAULT_CONFIG, output_format="python", with_metadata=metadata,
                     comments=False, tables=True, fast=fast)


def extract(tree):
    """trafilatura's document for a parsed page (None when it finds no text): metadata and
    text from the main extractor, and the text of the full extraction instead when the main
    extractor's is short. bare_extraction works on a copy of the tree, so the tree can be
    handed over twice; the second pass skips the metadata, which is 40 % of an extraction of
    a real page and is already known."""
    # a Document (bare_extraction gives a dict only when asked to with as_dict)
    doc: Any = trafilatura.bare_extraction(tree, options=_options(fast=True))
    if doc is None:
        return trafilatura.bare_extraction(tree, options=_options(fast=False))
    if len(doc.text or "") < FULL_EXTRACTION_BELOW:
        try:
            full: Any = trafilatura.bare_extraction(tree, options=_options(fast=False, metadata=False))
        except Exception:   # a fallback that breaks on a page leaves the main extractor's text
            full = None
        if full is not None and full.text:
            doc.text = full.text
    return doc


def page_language(tree) -> str | None:
    """Language from <html lang> or a content-language meta tag."""
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not lang:
        for meta in tree.iterfind(".//meta[@http-equiv]"):
            if meta.get("http-equiv", "").lower() == "content-language":
                lang = meta.get("content")
                break
    return language_code(lang)


def _declares_author(facts) -> bool:
    """Whether the page's meta tags or JSON-LD name an author."""
    return bool(facts.ld_authors) or any(value for key, value in facts.meta.items()
                                         if key.endswith(("author", "creator")) or key == "byl")


def read(path: str, data: bytes) -> Iterator[RawArticle | ItemError]:
    """One RawArticle from an HTML page; raises when no article text can be extracted."""
    if not data.strip():
        raise EmptyInput(path, "HTML file contains only whitespace")
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:5].lower() == b"<?php":
        # a PHP program's source, not a page it served (a saved page holds no "<?php")
        raise NotAnArticle(path, "program source code (PHP: the file opens with <?php), not an article")
    try:
        tree = load_html(data)
    except Exception as exc:  # lxml raises several unrelated types on hostile input
        raise MalformedInput(path, f"HTML could not be parsed: {type(exc).__name__}: {exc}") from exc
    if tree is None:
        raise MalformedInput(path, "HTML could not be parsed into a document tree (no elements found)")
    language = page_language(tree)
    try:
        doc = extract(tree)
    except Exception as exc:
        raise MalformedInput(path, f"article extraction failed: {type(exc).__name__}: {exc}") from exc
    body = paragraphs(doc.text) if doc is not None and doc.text else ""
    if not body:
        raise EmptyInput(path, "no article text found in the HTML page (empty, truncated "
                               "before the content, or only navigation/boilerplate)")
    if (reason := not_an_article(body, code=False)) is not None:
        raise NotAnArticle(path, f"the page's text is {reason}")
    facts = page_facts(tree)
    title = choose_title(facts, normalise_whitespace(doc.title) if doc.title else None, doc.hostname)
    published, impossible = choose_date(facts, doc.date, data)
    published = shown_date(tree, facts, published, doc.date, title)
    if title and "\n\n" in body and body.split("\n\n", 1)[0] == title:
        body = body.split("\n\n", 1)[1]      # the headline repeated as the first paragraph
    extra = {}
    for key in ("description", "hostname"):
        value = getattr(doc, key, None)
        if value:
            extra[key] = value
    for key in ("categories", "tags"):
        value = getattr(doc, key, None)
        if value:
            extra[key] = list(value)
    author = choose_author(facts, doc.author, doc.hostname, doc.text or "")
    keys = site_keys(facts, doc.hostname)
    publisher = author is not None and (_names_publisher(author, keys) or names_desk(author))
    # where a byline printed by the headline is looked for: the chosen headline too, on pages
    # whose headline is no <h1>
    headlines = set(facts.h1) | set(facts.entry_titles) | ({title} if title else set())
    if author is not None and doc.author and not _declares_author(facts) \
            and printed_only_in_other_stories(tree, author, headlines):
        # trafilatura's guess, which no author field gives, printed only in the bylines of
        # other stories listed beside the article
        author = None
    if author is None or " " not in author.strip() or publisher:
        # no author in the markup, only the site's own name or a desk's, or one word (a user name, or a
        # stray word of the byline row: "Salute"): the byline printed by the headline, if any,
        # placed by the chosen headline too on pages whose headline is no <h1>; a one-word
        # author stands against a name merely printed by a date. Then a wire story's agency.
        # the site's desk ("example.at Redaktion") gives way to a labelled byline only: it is what
        # some pages print as their byline, and an unlabelled word by the headline (a brand's box
        # "Hyundai") is no better
        desk = author is not None and names_site_desk(author, keys)
        author = printed_byline(tree, headlines, unlabelled=author is None or (publisher and not desk)) \
            or author_in_link_address(tree) or wire_credit(body) or author
    elif doc.author and not _declares_author(facts):
        # trafilatura's guess (a byline class anywhere, a story list's "By …", or a JSON-LD author
        # given only as an @id reference: the account that posted) that no author field of the
        # page names, against a labelled byline printed by the headline ("Auteur Uriel
        # Gadessaud"). The printed byline also drops what such guesses glue on ("Carrie
        # Arnold November", "… ERIC TUCKER Associated Press").
        printed = printed_byline(tree, headlines, unlabelled=False)
        if printed is not None:
            author = printed
    if (author is None or " " not in author.strip()) and b"bypostauthor" in data:
        # no writer named, or one word (a user name, a stray word): the name the post's author
        # signs their own comments with, on a WordPress page
        author = post_author_in_comments(tree) or author
    if author is None:
        # nothing names a writer: a personal site's copyright line names its owner
        author = copyright_holder(tree, keys)
    yield RawArticle(
        input_path=path,
        item="",
        input_format=FORMAT,
        body=body,
        title=title,
        url=doc.url or None,
        source=doc.sitename or None,
        author=author,
        published_raw=published,
        language=language or language_code(getattr(doc, "language", None)),
        extra=extra,
    )
    # an impossible declared date is recorded even when another source dated the page: the
    # page is wrong somewhere, and the user is told which field said what
    for problem in impossible:
        used = f"dated {published} from another field" if published else "left undated"
        yield ItemError(path, "", "impossible_date",
                        f"the page declares an impossible publication date in {problem}; not used, {used}")
