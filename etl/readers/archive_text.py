"""Reader for scraped archive text pages and plain-text articles (one article per file).

The archive shape (Asharq Al-Awsat English archive and outlets scraped the same way):

    <outlet banner line>
    <Title> | <OUTLET> English Archive 2005 -2017
    Select Page
    Media ID: 55296037
    Caption:
    <caption, repeated up to three times>
    Amman, Asharq Al-Awsat—<first paragraph>
    <paragraphs...>

Anything before the title line is site chrome. A plain text file without that title line is
read as "first non-empty line = title, the rest = body".
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from etl.errors import EmptyInput, NotAnArticle
from etl.model import ItemError, RawArticle
from etl.text import (decode_counted, joined_paragraphs, known_clean, looks_hard_wrapped, normalise_whitespace,
                      paragraphs)

FORMAT = "archive_text"

# "High-Ranking Syrian Military Officer Defects | ASHARQ AL-AWSAT English Archive 2005 -2017"
TITLE_LINE = re.compile(
    r"^(?P<title>.+?)\s+[|\u2013\u2014-]\s+(?P<outlet>[^|]+?)\s+(?P<english>English\s+)?Archive\b.*$",
    re.IGNORECASE,
)
MEDIA_ID = re.compile(r"^Media\s+ID\s*:\s*(?P<id>\S.*)$", re.IGNORECASE)
CAPTION = re.compile(r"^Caption\s*:\s*(?P<text>.*)$", re.IGNORECASE)
CHROME_LINES = {"select page", "advertisement", "share", "share this:", "print", "email",
                "tweet", "skip to content", "menu"}

# "Amman, Asharq Al-Awsat—A high-ranking ..." / "BEIRUT (Reuters) - Syrian ..."
# A short capitalised place (optionally ", outlet" or "(outlet)") then an em/en dash, or a
# hyphen with spaces around it. Kept strict so ordinary first sentences are never cut.
DATELINE = re.compile(
    r"^(?P<dateline>[A-Z][\w'\u2019.\- ]{1,40}?(?:,\s*[\w'\u2019.\- ]{2,40}?)?(?:\s*\([^()]{2,40}\))?)"
    r"\s*(?:[\u2014\u2013]|--?\s|\s--?\s)\s*(?=\S)"
)


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """'Amman, Asharq Al-Awsat—A high-ranking…' -> ('Amman, Asharq Al-Awsat', 'A high-ranking…')."""
    match = DATELINE.match(paragraph)
    if not match:
        return None, paragraph
    dateline = match.group("dateline").strip()
    if len(dateline.split()) > 6 or dateline.endswith((".", ":")):
        return None, paragraph
    first_word = dateline.split()[0].strip(",")
    # a dateline names a place and an outlet ("Amman, Asharq Al-Awsat", "BEIRUT (Reuters)") or
    # shouts the place ("BEIRUT"): this keeps "The war—which began…" whole
    if "," not in dateline and "(" not in dateline and not (first_word.isupper() and len(first_word) > 1):
        return None, paragraph
    return dateline, paragraph[match.end():]


def _outlet_name(raw: str, context: str) -> str:
    """The outlet as spelled in running text when it appears there, else a title-cased shout."""
    raw = normalise_whitespace(raw)
    found = re.search(re.escape(raw), context, re.IGNORECASE)
    if found and not found.group(0).isupper():
        return found.group(0)
    return raw.title() if raw.isupper() else raw


def parse(text: str) -> dict:
    """Split an archive page's text into title, source, media_id, caption, dateline and body."""
    lines = [normalise_whitespace(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    title = source = media_id = caption = language = None
    start = 0
    for i, line in enumerate(lines[:15]):
        match = TITLE_LINE.match(line)
        if match:
            title, source, start = match.group("title"), match.group("outlet"), i + 1
            if match.group("english"):
                language = "en"     # "… | OUTLET English Archive": the page says so
            break
    if title is None:
        for i, line in enumerate(lines):
            if line and line.lower() not in CHROME_LINES:
                title, start = line, i + 1
                break
    rest: list[str] = []
    expecting_caption = False
    for line in lines[start:]:
        low = line.lower()
        if low in CHROME_LINES:
            continue
        head = low[:5]
        media = MEDIA_ID.match(line) if head == "media" else None
        if media and media_id is None:
            media_id = media.group("id").strip()
            continue
        cap = CAPTION.match(line) if head == "capti" else None
        if cap:
            if cap.group("text"):
                caption = caption or cap.group("text")
            else:
                expecting_caption = True
            continue
        if expecting_caption and line:
            caption, expecting_caption = caption or line, False
            continue
        if caption is not None and line == caption:
            continue        # the archive repeats the caption; keep it once
        rest.append(line)
    body_text = "\n".join(rest)
    if looks_hard_wrapped(body_text):
        body = paragraphs(body_text, wrapped=True)
    else:       # the lines are normalised already: one paragraph each
        body = joined_paragraphs(rest)
    dateline = None
    if body:
        dateline, tail = split_dateline(body)
        if dateline:    # the tail starts at a non-space character: still clean paragraphs
            body = known_clean(tail)
    if source:
        source = _outlet_name(source, (dateline or "") + "\n" + body[:2000])
    return {"title": title, "source": source, "media_id": media_id, "caption": caption,
            "dateline": dateline, "body": body, "language": language}


# What text files that are not articles are made of: lines of program code, and links.
_CODE_LINE = re.compile(
    r"^\s*(?:(?:def|class|import|from\s+[\w.]+\s+import|return|if|elif|else|for|while|try|except|with|"
    r"function|var|let|const|public|private|protected|static|package|using|namespace|func|fn|impl|struct|"
    r"#include|#define|#!|@\w+)\b.*|.*[;{}]\s*$|.*\)\s*:\s*$|\s*(?://|/\*|\*/|\* |#\s).*|.*\b\w+\s*=\s*[\w\"'\[({].*)$")
_CODE_SYMBOLS = tuple('{}()[];=<>_"\'\\|*/#')
# a crawler's rules (robots.txt), a program's log (a timestamp opening each line) and a
# configuration file (short "key: value" / "key = value" lines): no article has these shapes
_ROBOTS_LINE = re.compile(r"^\s*(?:user-agent|disallow|allow|sitemap|crawl-delay|host|noindex)\s*:", re.IGNORECASE)
_LOG_LINE = re.compile(r"^\s*\[?(?:\d{4}-\d\d-\d\d[ T]\d\d:\d\d|\d\d:\d\d:\d\d[.,]\d|"
                       r"[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d)")
_SETTING_LINE = re.compile(r"^\s*[\w.-]+\s*[:=]\s*\S{0,80}$|^\s*\[[\w. -]+\]\s*$")
_LINK_LINE = re.compile(r"^\s*(?:[-*•]\s*)?(?:https?://|www\.|ftp://)\S+\s*$", re.IGNORECASE)


def _minified(text: str) -> bool:
    """Whether a text of one or two long lines is minified code: a fifth or more of its
    characters are brackets, operators and quotes, and it has few spaces (prose: under 2 %
    symbols and a space every six characters)."""
    sample = "".join(text.split())
    if len(sample) < 200:
        return False
    symbols = sum(map(sample.count, _CODE_SYMBOLS)) / len(sample)
    return symbols >= 0.2 and text.count(" ") < 0.05 * len(sample)


def not_an_article(text: str, code: bool = True) -> str | None:
    """Why a text file is no article, or None: most of its first lines are program code (or
    many are, in text dense with brackets, operators and quotes; or it is a script opening
    with "#!"), or links one per line. Prose has neither shape: its lines end in words and
    full stops. `code=False` looks for link lists only (the text of a web page, where a
    programming tutorial's listings are still the article)."""
    if code and text.lstrip("\ufeff").startswith("#!/"):
        return "program source code (a script: its first line is an interpreter's #! line), not an article"
    lines = [line for line in text[:20_000].splitlines()[:200] if line.strip()]
    if len(lines) < 4:
        if code and len(lines) <= 2 and _minified(text[:20_000]):
            return "program source code (minified: one long line of code), not an article"
        return None
    links = sum(bool(_LINK_LINE.match(line)) for line in lines)
    if links >= 0.8 * len(lines):
        return f"a list of links ({links} of its first {len(lines)} lines are URLs), not an article"
    if not code:
        return None
    for pattern, what in ((_ROBOTS_LINE, "a crawler's rules (robots.txt)"), (_LOG_LINE, "a program's log"),
                          (_SETTING_LINE, "a configuration file")):
        found = sum(bool(pattern.match(line)) for line in lines)
        # an archive page's header ("Source: SANA", "Date: 2016-01-02") is a few such lines
        # over prose; a configuration file has no line of prose
        if found >= 0.8 * len(lines) and (pattern is not _SETTING_LINE or (
                len(lines) >= 5 and not any(len(line.split()) >= 8 for line in lines))):
            return f"{what} ({found} of its first {len(lines)} lines), not an article"
    code = sum(bool(_CODE_LINE.match(line)) for line in lines)
    sample = "".join("".join(lines).split())
    symbols = sum(map(sample.count, _CODE_SYMBOLS)) / max(1, len(sample))
    # prose: under 2 % of its characters are these symbols (FA-KES, the sample); code: 13-15 %
    if code >= 0.6 * len(lines) or (code >= 0.25 * len(lines) and symbols >= 0.08):
        return f"program source code ({code} of its first {len(lines)} lines are code), not an article"
    return None


def read(path: str, data: bytes) -> Iterator[RawArticle | ItemError]:
    """One RawArticle from an archive text page or a plain-text article file (and an ItemError
    saying so when bytes of it had to be repaired: see etl.text.decode_counted); raises
    NotAnArticle for source code and link lists (`not_an_article`)."""
    decoded = decode_counted(data)
    text = decoded.text
    if not text.strip():
        raise EmptyInput(path, "text file contains only whitespace")
    reason = not_an_article(text)
    if reason:
        raise NotAnArticle(path, reason)
    parts = parse(text)
    if not parts["body"]:
        raise EmptyInput(path, f"text page has a title ({parts['title']!r:.80}) but no body text")
    note = decoded.repair_note()
    if note:
        yield ItemError(path, "", "encoding_repaired", note)
    yield RawArticle(input_path=path, item="", input_format=FORMAT, **parts)
