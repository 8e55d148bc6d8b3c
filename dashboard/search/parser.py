"""The user-facing query language: `parse` (text -> `ParsedQuery`) and `SYNTAX_HELP`.

User text never reaches tantivy's own query parser: `parse` builds a small tree of typed nodes
(`query`) and `SearchIndex` turns it into tantivy Query objects. The parser never raises:
every problem becomes a notice for the user.
"""
from __future__ import annotations

from dashboard.search.analyzer import Analyzer, shipped_analyzer
from dashboard.search.query import And, Node, Not, Or, ParsedQuery, Phrase, Word


MAX_QUERY_CHARS = 1000
MAX_TERMS = 64
MAX_DEPTH = 16
MIN_PREFIX_CHARS = 2


SYNTAX_HELP = """\
**Keyword search** (not case-sensitive)
- `defection army`: articles with **all** the words; word forms count too (defect, defected, defection)
- `=defect` or `"defect"`: this exact word only
- `"free syrian army"`: the exact phrase
- `syria OR iraq`: either word (write OR in capitals)
- `-regime` or `NOT regime`: without that word
- `defect*`: words starting with these letters
- `(syria OR iraq) -russia`: parentheses group
- Arabic works as typed: `الأسد` finds الاسد and الأسد. Names with hyphens and dots work: `al-Assad`, `U.N.`
"""


_QUOTE_CHARS = str.maketrans({c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\uff02"})
_OPERATORS = {"OR": "or", "|": "or", "||": "or", "AND": "and", "&": "and", "&&": "and", "NOT": "not"}
_SOFT_OPERATORS = {"or", "and", "not"}


def _shown(text: str, limit: int = 40) -> str:
    text = text if len(text) <= limit else text[:limit] + "…"
    return "“" + text + "”"


def _lex(q: str, notices: list[str]) -> list[tuple]:
    """Tokens: ("word", text, exact, prefix) ("phrase", text) ("(",) (")",) ("or",) ("and",) ("not",)."""
    out: list[tuple] = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
        elif c == '"':
            j = q.find('"', i + 1)
            if j < 0:
                notices.append("A quote was not closed: the rest of the query is read as one phrase.")
                j = n
            out.append(("phrase", q[i + 1:j]))
            i = j + 1
        elif c in "()":
            out.append((c,))
            i += 1
        else:
            j = i
            while j < n and not q[j].isspace() and q[j] not in '"()':
                j += 1
            _lex_word(q[i:j], q[j] if j < n else "", out, notices)
            i = j
    return out


def _lex_word(t: str, following: str, out: list[tuple], notices: list[str]) -> None:
    if t in _OPERATORS:
        out.append((_OPERATORS[t],))
        return
    if t.lower() in _SOFT_OPERATORS and t != t.upper():
        notices.append(f"{_shown(t)} is searched as a word; write {t.upper()} in capitals "
                       "to use it as an operator.")
    negate = t.startswith("-")
    t = t.lstrip("-+")
    exact = t.startswith("=")
    t = t.lstrip("=")
    if not t:
        if negate and following in '"(' and following:
            out.append(("not",))
        elif negate or exact:
            notices.append("A lone “-” or “=” was ignored: write it right before a word, "
                           "like -regime or =defect.")
        return
    if negate:
        out.append(("not",))
    prefix = t.endswith("*")
    out.append(("word", t.rstrip("*"), exact, prefix))


def _limit_depth(tokens: list[tuple], notices: list[str]) -> list[tuple]:
    """Drop parentheses nested deeper than MAX_DEPTH (and their partners): keeps recursion bounded."""
    out, stack, dropped = [], [], False
    for tok in tokens:
        if tok[0] == "(":
            keep = len([k for k in stack if k]) < MAX_DEPTH
            stack.append(keep)
            dropped |= not keep
            if keep:
                out.append(tok)
        elif tok[0] == ")" and stack:
            if stack.pop():
                out.append(tok)
        else:
            out.append(tok)
    if dropped:
        notices.append(f"Parentheses nested deeper than {MAX_DEPTH} levels were flattened.")
    return out


class _Parser:
    """Recursive descent over the lexed tokens; every problem becomes a notice, never an error."""

    def __init__(self, tokens: list[tuple], notices: list[str], analyzer: Analyzer):
        self.analyzer = analyzer
        self.tokens = _limit_depth(tokens, notices)
        self.pos = 0
        self.notices = notices
        self.n_terms = 0
        self.warned: set[str] = set()

    def note(self, key: str, message: str) -> None:
        if key not in self.warned:
            self.warned.add(key)
            self.notices.append(message)

    def peek(self) -> str | None:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def parse(self) -> Node | None:
        parts = [self.parse_and()]
        while self.pos < len(self.tokens):          # only a stray ")" stops parse_and early
            self.pos += 1
            self.note("close", "A “)” without a matching “(” was ignored.")
            parts.append(self.parse_and())
        return _and([p for p in parts if p is not None])

    def parse_and(self) -> Node | None:
        """Words side by side must all match; OR binds tighter: `a b OR c` is a AND (b OR c)."""
        items: list[Node] = []
        while (kind := self.peek()) not in (None, ")"):
            if kind in ("and", "or"):
                self.pos += 1
                if kind == "or" or not items or self.peek() in (None, ")", "or"):
                    self.note(kind, f"“{kind.upper()}” needs a word on each side; "
                              f"the lone {kind.upper()} was ignored.")
                continue
            item = self.parse_or()
            if item is not None:
                items.append(item)
        return _and(items)

    def parse_or(self) -> Node | None:
        parts = [self.parse_unary()]
        while self.peek() == "or":
            self.pos += 1
            while self.peek() == "or":
                self.pos += 1
            if self.peek() in (None, ")", "and"):
                self.note("or", "“OR” needs a word on each side; the lone OR was ignored.")
                break
            parts.append(self.parse_unary())
        return _or([p for p in parts if p is not None])

    def parse_unary(self) -> Node | None:
        negate = False
        while self.peek() == "not":
            self.pos += 1
            negate = not negate
        if self.peek() in (None, ")", "or", "and"):
            self.note("not", "“NOT” or “-” needs a word after it; it was ignored.")
            return None
        node = self.parse_primary()
        if node is None or not negate:
            return node
        return node.child if isinstance(node, Not) else Not(node)

    def parse_primary(self) -> Node | None:
        tok = self.tokens[self.pos]
        self.pos += 1
        kind = tok[0]
        if kind == "(":
            node = self.parse_and()
            if self.peek() == ")":
                self.pos += 1
            else:
                self.note("open", "A “(” was not closed; it is closed at the end of the query.")
            if node is None:
                self.note("empty", "Empty parentheses were ignored.")
            return node
        if kind == "phrase":
            text = tok[1].strip()
            return self.term(text.rstrip("*"), exact=True, prefix=text.endswith("*"), quoted=True)
        return self.term(tok[1], exact=tok[2], prefix=tok[3], quoted=False)

    def term(self, text: str, exact: bool, prefix: bool, quoted: bool) -> Node | None:
        shown = _shown(f'"{text}"' if quoted else text)
        tokens = tuple(self.analyzer.analyze(text))
        if not tokens:
            if text:
                self.note("nothing:" + text, f"{shown} was ignored: it has no letters or digits "
                          "that can be searched (words longer than 40 letters are not indexed).")
            elif quoted:
                self.note("emptyquote", "Empty quotes were ignored.")
            return None
        self.n_terms += len(tokens)
        if self.n_terms > MAX_TERMS:
            self.note("terms", f"Only the first {MAX_TERMS} words are searched.")
            return None
        if prefix and len(tokens) == 1 and len(tokens[0]) < MIN_PREFIX_CHARS:
            self.note("short:" + text, f"{shown}: a prefix needs at least {MIN_PREFIX_CHARS} "
                      "letters; searched as a whole word.")
            prefix = False
        if len(tokens) == 1:
            return Word(tokens[0], exact=exact and not prefix, prefix=prefix)
        return Phrase(tokens, prefix=prefix)


def _and(items: list[Node]) -> Node | None:
    flat: list[Node] = []
    for item in items:
        flat.extend(item.children if isinstance(item, And) else (item,))
    flat = list(dict.fromkeys(flat))
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def _or(items: list[Node]) -> Node | None:
    flat: list[Node] = []
    for item in items:
        flat.extend(item.children if isinstance(item, Or) else (item,))
    flat = list(dict.fromkeys(flat))
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


def _only_negative(node: Node) -> bool:
    if isinstance(node, Not):
        return True
    if isinstance(node, And):
        return all(isinstance(c, Not) for c in node.children)
    return False


def parse(q: str, analyzer: Analyzer | None = None) -> ParsedQuery:
    """Read a keyword query. Never raises: problems are explained in `.notices`.

    Words become index terms with `analyzer` (an opened index's: `SearchIndex.analyzer`), by
    default that of the contract shipped with the code; a query parsed with another analyzer
    than an index's is read again by that index before it searches.

    The reading is best effort: unclosed quotes and parentheses are closed at the end, stray
    operators and punctuation are dropped, a query of only exclusions matches every article
    without those words.
    """
    notices: list[str] = []
    text = q if isinstance(q, str) else str(q or "")
    if len(text) > MAX_QUERY_CHARS:
        notices.append(f"The query was cut to its first {MAX_QUERY_CHARS} characters.")
        text = text[:MAX_QUERY_CHARS]
    text = text.translate(_QUOTE_CHARS)
    analyzer = analyzer or shipped_analyzer()
    root = _Parser(_lex(text, notices), notices, analyzer).parse()
    if root is not None and _only_negative(root):
        notices.append("The query only excludes words, so it matches every article without them.")
    return ParsedQuery(text=q if isinstance(q, str) else text, root=root, notices=notices, analyzer=analyzer)
