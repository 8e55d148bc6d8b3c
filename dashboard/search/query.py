"""A parsed keyword query: the tree of typed nodes `parse` builds (words, phrases, NOT, AND,
OR), and `ParsedQuery`, which carries it with the text typed and the notices for the user."""
from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.search.analyzer import Analyzer


@dataclass(frozen=True)
class Word:
    """One index term. Plain words match their English word forms unless `exact`."""
    token: str
    exact: bool = False
    prefix: bool = False

    def __str__(self) -> str:
        return ("=" if self.exact else "") + self.token + ("*" if self.prefix else "")


@dataclass(frozen=True)
class Phrase:
    """Consecutive terms; also what a hyphenated or dotted word (al-Assad, U.N.) becomes."""
    tokens: tuple[str, ...]
    prefix: bool = False

    def __str__(self) -> str:
        return '"' + " ".join(self.tokens) + ("*" if self.prefix else "") + '"'

    @property
    def acronym(self) -> str | None:
        """"un" for U.N.: single letters written with dots also match the word written solid."""
        if len(self.tokens) > 1 and all(len(t) == 1 for t in self.tokens) and not self.prefix:
            return "".join(self.tokens)
        return None


@dataclass(frozen=True)
class Not:
    child: "Node"

    def __str__(self) -> str:
        inner = str(self.child)
        return "-" + inner if isinstance(self.child, (Word, Phrase)) else "NOT (" + inner + ")"


@dataclass(frozen=True)
class And:
    children: tuple["Node", ...]

    def __str__(self) -> str:
        return " ".join(f"({c})" if isinstance(c, Or) else str(c) for c in self.children)


@dataclass(frozen=True)
class Or:
    children: tuple["Node", ...]

    def __str__(self) -> str:
        return " OR ".join(f"({c})" if isinstance(c, And) else str(c) for c in self.children)


Node = Word | Phrase | Not | And | Or


@dataclass
class ParsedQuery:
    """What the user typed, how it was read (`root`, `reading`) and what had to be fixed."""
    text: str
    root: Node | None
    notices: list[str] = field(default_factory=list)
    analyzer: Analyzer | None = field(default=None, compare=False, repr=False)   # what made the terms

    @property
    def is_empty(self) -> bool:
        """True when nothing searchable was typed: callers should apply no keyword filter."""
        return self.root is None

    @property
    def reading(self) -> str:
        """The query as understood, in the same syntax (parsing it again gives the same tree)."""
        return "" if self.root is None else str(self.root)
