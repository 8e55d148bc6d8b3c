"""Text handling shared by the readers: bytes -> str with encoding detection, whitespace and
paragraph normalisation, HTML fragments -> plain text, language tags.

`decode` never raises: every byte sequence becomes some string, so a bad byte costs one odd
character, never a lost input.
"""
from __future__ import annotations

import codecs
import html
import re
import unicodedata
from typing import NamedTuple

import charset_normalizer
import lxml.html
from lxml import etree

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# HTML5 (WHATWG) treats these labels as windows-1252, and so do we: pages that declare
# latin-1 almost always contain cp1252 curly quotes and dashes in 0x80-0x9F.
_DECLARED_ALIASES = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin-1": "cp1252",
                     "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252",
                     "l1": "cp1252", "windows-1252": "cp1252"}

# Single-byte Western code pages that statistical detection cannot tell apart on real text
# (cp775 and cp437 win on some cp1252 files). cp1252 is by far the most common of them in
# news exports, so any of these guesses is read as cp1252.
_WESTERN = {"ascii", "latin_1", "iso8859_15", "cp1252", "cp437", "cp850", "cp858", "cp775",
            "cp1140", "cp500", "cp037", "cp273", "cp1125", "mac_roman", "mac_iceland",
            "hp_roman8", "cp860", "cp863", "cp865", "iso8859_1"}

_DECLARED_RE = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})"""
    rb"""|<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})["']""",
    re.IGNORECASE,
)
_NON_ASCII = re.compile(rb"[\x80-\xff]")


def _latin1_fallback(err: UnicodeError):
    """Decode bytes a codec cannot map as Latin-1, so no input ever fails to decode."""
    if isinstance(err, UnicodeDecodeError):
        return err.object[err.start:err.end].decode("latin-1"), err.end
    raise err


codecs.register_error("etl_latin1_fallback", _latin1_fallback)


def _normal_codec(name: str) -> str | None:
    label = name.strip().lower()
    label = _DECLARED_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def bom_encoding(data: bytes) -> tuple[str | None, int]:
    """The encoding a byte-order mark announces and the mark's length, or (None, 0)."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None, 0


def declared_encoding(data: bytes) -> str | None:
    """The charset an HTML meta tag or XML declaration in the first 4 KB names, if Python knows it."""
    head = data[:4096]
    if b"<" not in head:
        return None          # no tag to declare a charset in (plain text: skips the scan)
    match = _DECLARED_RE.search(head)
    if not match:
        return None
    return _normal_codec((match.group(1) or match.group(2)).decode("ascii"))


def _informative_sample(data: bytes, limit: int = 200_000) -> bytes:
    """Windows around the first non-ASCII bytes: what detection needs, without scanning 200 MB."""
    pieces, size, last_end = [], 0, 0
    for match in _NON_ASCII.finditer(data):
        start = max(match.start() - 120, last_end)
        end = match.start() + 120
        if start >= end:
            continue
        pieces.append(data[start:end])
        size += end - start
        last_end = end
        if size >= limit:
            break
    return b" ".join(pieces) if pieces else data[:limit]


def guess_encoding(data: bytes) -> str:
    """The encoding to read `data` with: BOM, declared charset, strict UTF-8, then detection.

    Works on a prefix of a file too (a multi-byte character cut at the end is not an error).
    """
    name, _ = bom_encoding(data)
    if name:
        return name
    declared = declared_encoding(data)
    if declared:
        try:
            codecs.getincrementaldecoder(declared)().decode(data, final=False)
            return declared
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    return _detect(data)


def decode(data: bytes) -> str:
    """Bytes -> str. Never raises; see `decode_counted`, which also says what was repaired."""
    return decode_counted(data).text


class Decoded(NamedTuple):
    """Decoded text and what it cost: `replaced` invalid UTF-8 sequences became U+FFFD in
    lines that are otherwise UTF-8; `fallback_lines` lines of a mostly UTF-8 text were not
    UTF-8 at all and were read as `fallback` (both 0 for text in one clean encoding)."""
    text: str
    encoding: str
    replaced: int = 0
    fallback_lines: int = 0
    fallback: str = ""
    first_lines: tuple[int, ...] = ()     # line numbers (1-based) of the first repairs

    def repair_note(self) -> str | None:
        """A sentence for the errors table, or None when nothing was repaired."""
        if not self.replaced and not self.fallback_lines:
            return None
        parts = []
        if self.replaced:
            parts.append(f"{self.replaced} invalid UTF-8 byte sequence{'s' if self.replaced != 1 else ''} "
                         f"replaced with U+FFFD")
        if self.fallback_lines:
            parts.append(f"{self.fallback_lines} line{'s' if self.fallback_lines != 1 else ''} "
                         f"not UTF-8, read as {self.fallback}")
        where = ", ".join(map(str, self.first_lines))
        return f"text is {self.encoding}: " + "; ".join(parts) + f" (line{'s' if len(self.first_lines) > 1 else ''} {where})"


_NOTE_LINES = 5         # line numbers a repair note names
_DETECT_MIN_BYTES = 32  # non-UTF-8 bytes below this are too few for statistical detection


def decode_counted(data: bytes) -> Decoded:
    """Bytes -> str, never raising, decided line by line where the encodings are mixed.

    Order: byte-order mark, charset declared in an HTML meta tag or XML declaration, strict
    UTF-8. Text that is not strict UTF-8 is read line by line: a line that is UTF-8 stays
    UTF-8, a line that is mostly UTF-8 keeps it with its few bad bytes replaced (counted),
    and any other line is read in the text's other encoding (statistical detection with
    charset-normalizer, cp1252 for Western guesses); in UTF-8 text whose other lines hold too
    few bytes to tell their encoding, those bytes are replaced as well. So one bad
    byte never turns a UTF-8 file's every "—" into "â€”", and UTF-8 rows pasted into a cp1252
    file keep their accents.
    """
    name, skip = bom_encoding(data)
    if name:
        return Decoded(data[skip:].decode(name, errors="etl_latin1_fallback"), name)
    declared = declared_encoding(data)
    for encoding in (declared, "utf-8") if declared and declared != "utf-8" else ("utf-8",):
        try:
            return Decoded(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            pass
    loose = data.decode("utf-8", "replace")
    bad = loose.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = len(loose) - len(loose.encode("ascii", "ignore")) - loose.count("\ufffd")
    if not good:        # no UTF-8 at all: one encoding for the whole text
        encoding = _detect(data)
        return Decoded(data.decode(encoding, errors="etl_latin1_fallback"), encoding)
    split = data.splitlines(keepends=True)
    lines = LineDecoder(other=other_encoding(split) or (None if good >= bad else "cp1252"))
    text = "".join(map(lines.decode, split))
    return lines.result(text)


def _mostly_utf8(line: bytes) -> tuple[bool, str, int]:
    """(whether a line that is not strict UTF-8 is still mostly UTF-8, its UTF-8 reading with
    bad sequences replaced, how many were replaced)."""
    loose = line.decode("utf-8", "replace")
    marks = loose.count("\ufffd")
    bad = marks - line.count(b"\xef\xbf\xbd")
    good = len(loose) - len(loose.encode("ascii", "ignore")) - marks
    return bool(good and good >= bad), loose, bad


def other_encoding(lines: list[bytes]) -> str | None:
    """The encoding of the lines that are not (mostly) UTF-8, detected from them alone, or None
    when they hold too few non-ASCII bytes to tell (then cp1252 is the best guess)."""
    other = []
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            if not _mostly_utf8(line)[0]:
                other.append(line)
    sample = b"".join(other)
    if len(sample) - len(sample.decode("ascii", "ignore")) < _DETECT_MIN_BYTES:
        return None
    return _detect(sample)


class LineDecoder:
    """Decodes a text line by line (see `decode_counted`), counting what it repairs. `other` is
    the encoding of lines that are not UTF-8 (see `other_encoding`); when it is not known (the
    text is UTF-8 so far), it is detected from the first such lines once they hold enough
    bytes to tell; until then a line with one bad byte has it replaced and a line with more
    is read as cp1252."""

    def __init__(self, other: str | None = None, first_line: int = 1):
        self.other = other
        self.pending = b""          # non-UTF-8 lines waiting for a detection of self.other
        self.line = first_line - 1
        self.replaced = 0
        self.fallback_lines = 0
        self.utf8_lines = 0         # lines with non-ASCII text read as UTF-8
        self.first_lines: list[int] = []

    def _note(self) -> None:
        if len(self.first_lines) < _NOTE_LINES:
            self.first_lines.append(self.line)

    def decode(self, line: bytes) -> str:
        """One line (with its line break) as text."""
        self.line += 1
        try:
            text = line.decode("utf-8")
            if not text.isascii():
                self.utf8_lines += 1
            return text
        except UnicodeDecodeError:
            pass
        mostly, loose, bad = _mostly_utf8(line)
        if mostly:
            self.utf8_lines += 1
            self.replaced += bad
            self._note()
            return loose
        other = self.other
        if other is None:
            self.pending += line
            if len(self.pending) - len(self.pending.decode("ascii", "ignore")) >= _DETECT_MIN_BYTES:
                other = self.other = _detect(self.pending)
                self.pending = b""
            elif bad < 2:
                # a stray bad byte in UTF-8 text: too little to name another encoding
                self.replaced += bad
                self._note()
                return loose
            else:
                other = "cp1252"    # the likeliest until there are bytes enough to detect
        self.fallback_lines += 1
        self._note()
        return line.decode(other, errors="etl_latin1_fallback")

    def result(self, text: str) -> Decoded:
        """`text` (what the lines made) with the counts of this decoder."""
        other = self.other or "cp1252"
        if not self.replaced and self.fallback_lines > self.utf8_lines:
            # text in the other encoding (some lines in UTF-8 perhaps): nothing was lost
            return Decoded(text, other)
        return Decoded(text, "utf-8", self.replaced, self.fallback_lines, other, tuple(self.first_lines))


def _detect(data: bytes) -> str:
    """charset-normalizer's guess, read as cp1252 when cp1252 explains the bytes as well as the
    winner does (short Western text often ties with cp1250/cp1257) or the winner is another
    Western code page."""
    matches = list(charset_normalizer.from_bytes(_informative_sample(data)))
    if not matches:
        return "cp1252"
    best = matches[0]
    if any(m.encoding == "cp1252" and m.chaos <= best.chaos + 0.02 for m in matches):
        return "cp1252"
    guessed = _normal_codec(best.encoding)
    if guessed is None or guessed.replace("-", "_") in _WESTERN:
        return "cp1252"
    return guessed


# A JSON string may hold a lone surrogate escape ("\ud800"), which no UTF-8 text can: the
# extractors' automata, Arrow and DuckDB would refuse the article (or the whole input). It
# becomes U+FFFD, as an invalid byte does when a file is decoded.
_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD (ASCII text is returned at once)."""
    return text if text.isascii() or not _SURROGATE.search(text) else _SURROGATE.sub("\ufffd", text)


# Control characters (C0 except tab/newline, C1), zero-width characters and soft hyphens carry
# no text and break matching; they are dropped.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b\u200c\u200e\u200f\u2060\ufeff]")
_BLANK_LINES = re.compile(r"\n\s*\n")


def normalise_whitespace(text: str) -> str:
    """One line of text: NFC, invisible characters dropped, any whitespace run -> one space."""
    if not text:
        return ""
    if text.isprintable() and "  " not in text and text[0] != " " != text[-1] and (
            text.isascii() or unicodedata.is_normalized("NFC", text)):
        return text     # already one clean line: a printable str has no whitespace but " "
    text = " ".join(text.split())
    if not text.isprintable():      # fast C check; true for almost every real line
        text = " ".join(_INVISIBLE.sub("", text).split())
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


_LAST_CLEAN = ""   # the last text found clean (strings are immutable: identity is enough)


def is_clean_paragraphs(text: str) -> bool:
    """True when `text` is already what `paragraphs` returns: stripped, printable, NFC lines
    with single spaces, separated by exactly one blank line (a few scans in C, no copying of
    paragraphs; most table and feed text is already in this shape)."""
    global _LAST_CLEAN
    if text is _LAST_CLEAN:     # the reader's output checked again by the enricher
        return True
    if ("\r" in text or "  " in text or "\t" in text or "\n\n\n" in text or " \n" in text
            or "\n " in text or text != text.strip()):
        return False
    flat = text.replace("\n\n", " ")
    clean = ("\n" not in flat and flat.isprintable()
             and (flat.isascii() or unicodedata.is_normalized("NFC", flat)))
    if clean:
        _LAST_CLEAN = text
    return clean


def known_clean(text: str) -> str:
    """`text`, remembered as already clean paragraphs (what `paragraphs` returns) so the next
    is_clean_paragraphs check of it, the enricher's, costs nothing (docs/figures.md).
    Only for text clean by construction, such as joined_paragraphs' result or its tail from
    a non-space character on."""
    global _LAST_CLEAN
    _LAST_CLEAN = text
    return text


def joined_paragraphs(lines: list[str]) -> str:
    """Lines already passed through normalise_whitespace, as paragraphs separated by one blank
    line (the empty ones dropped): clean by construction."""
    return known_clean("\n\n".join(line for line in lines if line))


def paragraphs(text: str, wrapped: bool = False) -> str:
    """Plain text with one paragraph per line (or per blank-line block when `wrapped`), as
    paragraphs separated by exactly one blank line, each whitespace-normalised.

    `wrapped=True` is for hard-wrapped text (lines broken inside paragraphs at a fixed width):
    lines of a block separated by blank lines are joined into one paragraph.
    """
    if not text:
        return ""
    if not wrapped and is_clean_paragraphs(text):
        return text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = _BLANK_LINES.split(text) if wrapped else text.split("\n")
    return joined_paragraphs([normalise_whitespace(b) for b in blocks])


def looks_hard_wrapped(text: str) -> bool:
    """True when blank lines separate blocks of several short lines (text wrapped at ~70-80 columns)."""
    lines = text.split("\n")
    if not any(a and b and not a.isspace() and not b.isspace() for a, b in zip(lines, lines[1:])):
        return False        # no two non-blank lines in a row, so no block of several lines
    blocks = [b for b in _BLANK_LINES.split(text.replace("\r\n", "\n")) if b.strip()]
    if not blocks:
        return False
    multi = [b for b in blocks if b.strip().count("\n") >= 1]
    if len(multi) * 2 < len(blocks):
        return False
    lengths = [len(line) for b in multi for line in b.strip().split("\n")]
    return max(lengths) <= 100


_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
               "blockquote", "tr", "table", "section", "article", "pre", "figure",
               "figcaption", "header", "footer", "dd", "dt", "hr"}
_TAG_HINT = re.compile(r"<[A-Za-z!/]")


def html_fragment_to_text(fragment: str) -> str:
    """An HTML fragment (feed summary, content:encoded) -> plain-text paragraphs."""
    if not fragment:
        return ""
    if not _TAG_HINT.search(fragment):
        return paragraphs(html.unescape(fragment))
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return paragraphs(html.unescape(re.sub(r"<[^>]*>", " ", fragment)))
    for bad in root.xpath(".//script|.//style|.//noscript"):
        bad.drop_tree()
    parts: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if element.text and tag:
                parts.append(element.text)
        else:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if element.tail and element is not root:
                parts.append(element.tail)
    return paragraphs("".join(parts))


_LANG_RE = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")


def language_code(tag: str | None) -> str | None:
    """'en-US' / 'en_GB' / 'EN' -> 'en'; None for anything that is not a language tag."""
    if not tag:
        return None
    match = _LANG_RE.match(tag)
    return match.group(1).lower() if match else None


SNIPPET_CHARS = 120


def snippet(text: str, start: int, end: int, width: int = SNIPPET_CHARS) -> str:
    """About `width` characters of `text` around [start, end), whole words, match intact."""
    n = len(text)
    pad = (width - (end - start)) // 2
    if pad < 0:
        pad = 0
    s0 = start - pad
    if s0 > 0:
        space = text.find(" ", s0, start)
        if space != -1:
            s0 = space + 1
    else:
        s0 = 0
    s1 = end + pad
    if s1 < n:
        space = text.rfind(" ", end, s1)
        if space != -1:
            s1 = space
    else:
        s1 = n
    piece = text[s0:s1]
    if "\n" in piece or "\t" in piece or "  " in piece:
        piece = " ".join(piece.split())
    if s0:
        piece = "…" + piece
    return piece + "…" if s1 < n else piece
