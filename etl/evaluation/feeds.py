"""Feed items loaded and titles right, on the real feeds in the shared corpus
(`corpus/feeds/rss-parser/input/`: 30 captured RSS and Atom feeds, news and edge cases,
some broken).

The gold is a careful reading of each file made here, independently of feedparser: lxml
with `recover=True` (it reads past well-formedness errors), decoding the file as declared
and, when that gives replacement characters, as Windows-1252. Every `<item>` or `<entry>`
element (any namespace) that has a title or some text is an item the reader must load; an
element with neither (an empty Atom entry) is not, and the reader must record it instead.
An item's gold title is its `<title>` element's text as a person sees it: markup escaped
inside it removed, HTML entities decoded ("&amp;#8217;" is ’), whitespace collapsed.

* items loaded: articles the reader yields for a feed, at most its gold items, over all
  gold items;
* titles right: gold titles found among the titles the reader gives that feed (each title
  counted once), over all gold titles.

Feeds are split into dev and test by a hash of the file name, as the HTML gold sets are.

The captured feeds are mostly sound, so each is also read in damaged copies (`damaged`),
each with one fault of the kinds real feeds have, made here by editing the file's bytes,
with the gold edited to match: a bare "&" in a title ("AT&T"), HTML named entities with the
RSS 0.91 Netscape DOCTYPE, an entity declared in the feed's own DOCTYPE, one invalid byte in
a UTF-8 feed, an item without a title, a cut-off end, a PHP warning printed before the
XML declaration. Figures for them are printed apart
(`feeds_damaged_*`): the faults are real, their placement is made up.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from lxml import etree

from etl.errors import InputError
from etl.evaluation.html_gold import SPLITS, gold_dir, split_of
from etl.model import RawArticle
from etl.readers.detect import read_input
from etl.text import html_fragment_to_text, normalise_whitespace

FEEDS_DIR = Path("corpus/feeds/rss-parser/input")
_TEXT_TAGS = {"description", "summary", "content", "encoded"}


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _parse(data: bytes, encoding: str | None = None):
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False,
                             encoding=encoding)
    try:
        return etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _title_text(element) -> str:
    if element.get("type") == "xhtml":
        return normalise_whitespace(" ".join(element.itertext()))
    return normalise_whitespace(html_fragment_to_text("".join(element.itertext())))


def gold_items(data: bytes) -> list[tuple[str | None, bool]]:
    """(gold title or None, whether the item has any title or text) of each item of a feed."""
    root = _parse(data)
    if root is not None and "\ufffd" in "".join(root.itertext()):
        again = _parse(data, "cp1252")
        root = again if again is not None else root
    if root is None:
        return []
    items = []
    for element in root.iter():
        if _local(element) not in ("item", "entry"):
            continue
        title = None
        has_text = False
        for child in element:
            name = _local(child)
            if name == "title" and title is None:
                title = _title_text(child) or None
            elif name in _TEXT_TAGS and normalise_whitespace(" ".join(child.itertext())):
                has_text = True
        items.append((title, bool(title) or has_text))
    return items


def feed_pairs(shared_dir: Path) -> list[tuple[Path, list[tuple[str | None, bool]]]]:
    base = gold_dir(shared_dir, FEEDS_DIR, "guardian.rss")
    return [(path, gold_items(path.read_bytes())) for path in sorted(base.iterdir()) if path.is_file()]


def _norm(title: str | None) -> str:
    return normalise_whitespace(title or "").casefold()


def score_feed(path: Path, gold: list[tuple[str | None, bool]]) -> tuple[int, int, int, int]:
    """(gold items, items loaded, gold titles, titles right) for one feed."""
    try:
        found = [a for a in read_input(str(path)) if isinstance(a, RawArticle)]
    except InputError:
        found = []
    want = [item for item in gold if item[1]]
    titles = Counter(_norm(t) for t, _ in want if t)
    got = Counter(_norm(a.title) for a in found if a.title)
    return len(want), min(len(found), len(want)), sum(titles.values()), sum((titles & got).values())


_FIRST_ITEM = re.compile(rb"<(?:[\w-]+:)?(?:item|entry)[\s>]")
_TITLE_OPEN = re.compile(rb"<title(?:\s[^>]*)?>")
_NETSCAPE = (b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
             b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n')


_SERVER_WARNING = (b"<br />\n<b>Warning</b>:  Cannot modify header information - headers already sent by "
                   b"(output started at /var/www/html/wp-includes/functions.php:4) in <b>/var/www/html/feed.php"
                   b"</b> on line <b>8</b><br />\n")


def _first_title(data: bytes) -> tuple[int, int] | None:
    """(start, end) of the first item's <title> content in the file."""
    item = _FIRST_ITEM.search(data)
    if item is None:
        return None
    opening = _TITLE_OPEN.search(data, item.end())
    close = data.find(b"</title>", opening.end()) if opening else -1
    next_item = _FIRST_ITEM.search(data, item.end())
    if opening is None or close < 0 or (next_item is not None and opening.start() > next_item.start()):
        return None
    return opening.end(), close


def _after_declaration(data: bytes) -> int:
    declaration = re.match(rb"\s*<\?xml[^>]*\?>\s*", data)
    return declaration.end() if declaration else 0


def damaged(data: bytes, gold: list[tuple[str | None, bool]]):
    """(fault, damaged bytes, its gold) for each fault that applies to a feed."""
    where = _first_title(data)
    first = next((i for i, item in enumerate(gold) if item[1]), None)
    if where is None or first is None or gold[first][0] is None:
        return
    start, end = where
    title = gold[first][0]

    def with_title(new: str | None) -> list[tuple[str | None, bool]]:
        return gold[:first] + [(new, True)] + gold[first + 1:]

    yield "bare_ampersand", data[:start] + b"AT&T: " + data[start:], with_title(f"AT&T: {title}")
    if b"<rss" in data[:4096] and b"<!DOCTYPE" not in data[:4096]:
        at = _after_declaration(data)
        yield ("html_entities", data[:at] + _NETSCAPE + data[at:start] + b"Caf&eacute; &ndash; " + data[start:],
               with_title(f"Café – {title}"))
    if b"<!DOCTYPE" not in data[:4096]:
        at = _after_declaration(data)
        root = re.match(rb"\s*<([\w:-]+)", data[at:])
        if root:
            subset = b"<!DOCTYPE " + root.group(1) + b' [\n<!ENTITY wire "Example Wire">\n]>\n'
            yield ("declared_entity", data[:at] + subset + data[at:start] + b"&wire;: " + data[start:],
                   with_title(f"Example Wire: {title}"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and any(c > "\x7f" for c in text):
        yield "invalid_byte", data[:start] + b"\xff" + data[start:], with_title(f"\ufffd{title}")
    element = data.rfind(b"<title", 0, start)
    yield "missing_title", data[:element] + data[end + len(b"</title>"):], with_title(None)
    # what a PHP site prints before its feed when a plugin misbehaves
    yield ("server_output", _SERVER_WARNING + data.lstrip(b"\xef\xbb\xbf"), gold)
    cut = data.rfind(b"</item>") if b"</item>" in data else data.rfind(b"</entry>")
    if cut > 0 and sum(1 for item in gold if item[1]) > 1:
        kept = len(_FIRST_ITEM.findall(data[:cut])) - 1
        yield "cut_off", data[:cut - 40], gold[:max(kept, 0)]


def _score_bytes(name: str, data: bytes, gold: list[tuple[str | None, bool]], folder: Path) -> tuple[int, int, int, int]:
    path = folder / name
    path.write_bytes(data)
    try:
        return score_feed(path, gold)
    finally:
        path.unlink()


def _figures(prefix: str, scored: list[tuple[str, tuple[int, int, int, int]]]) -> dict[str, float]:
    figures: dict[str, float] = {}
    for split in SPLITS:
        rows = [row for s, row in scored if s == split]
        items, loaded, titles, right = (sum(col) for col in zip(*rows)) if rows else (0, 0, 0, 0)
        figures[f"{prefix}_{split}_items_loaded"] = round(loaded / items, 4) if items else 0.0
        figures[f"{prefix}_{split}_titles_right"] = round(right / titles, 4) if titles else 0.0
        figures[f"{prefix}_{split}_feeds"] = len(rows)
        figures[f"{prefix}_{split}_gold_items"] = items
    return figures


def evaluate_feeds(shared_dir: Path) -> dict[str, float]:
    """Items loaded and titles right per split, on the feeds as captured and on their
    damaged copies (see the module's docstring)."""
    import tempfile

    pairs = feed_pairs(shared_dir)
    figures = _figures("feeds", [(split_of(path.name), score_feed(path, gold)) for path, gold in pairs])
    scored = []
    with tempfile.TemporaryDirectory() as folder:
        for path, gold in pairs:
            for fault, data, fault_gold in damaged(path.read_bytes(), gold):
                scored.append((split_of(path.name),
                               _score_bytes(f"{fault}-{path.name}", data, fault_gold, Path(folder))))
    figures.update(_figures("feeds_damaged", scored))
    return figures


if __name__ == "__main__":
    import sys

    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[3] / "shared"
    for key, value in evaluate_feeds(shared).items():
        print(f"{key}: {value}")
