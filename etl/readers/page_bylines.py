"""The byline a page prints by its headline ("Von Roland Brockmann und Sebastian Drescher",
"par Matthieu Hy le 07 mai 2020", "<span>Autor:</span> <a>Peter Maahn</a>"), for pages whose
markup names no author, or only the site itself: many sites print the reporter's name in an
element with no author class, itemprop or meta tag, next to the headline.

A byline is a piece of text of its own (an element's text or tail) that opens with a label
and continues with a name and nothing else but a date or a separator; or a bare label whose
next piece of text is the name. Pieces inside prose ("hit by Russian missiles", "ein
Interview von …") do not open with the label, so they are not read.
"""
from __future__ import annotations

import re
from typing import Any

from lxml import etree

from etl.readers.metadata.author import _MONTHS
from etl.readers.metadata.page import in_furniture

# pieces of text read before and after the headline's
PIECES_BEFORE = 15
PIECES_AFTER = 40

_LABEL = (r"(?:[Bb]y|BY|[Vv]on|VON|[Pp]ar|[Pp]or|[Dd]oor|[Tt]ext(?:\s+von)?|Texte|[Ww]ritten\s+by|[Pp]osted\s+by"
          r"|[Pp]ubli[ée]\s+par|[Pp]ublicado\s+por|(?:[Ee]rstellt|[Vv]erfasst|[Gg]eschrieben)\s+von"
          r"|Text\s*(?:&|und|and)\s*Fotos?|Autor(?:in|en|innen)?|AUTOR(?:EN)?|Authors?|Auteurs?|Autore|Autori"
          r"|Reporter)")
_NAME_WORD = r"[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*"
_PARTICLE = r"(?:de|la|del|da|di|van|von|der|den|du|le|dos|das|bin|al|el)"
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_WORD}){{1,3}}"
# names joined by commas and a conjunction, the serial comma too ("A, B, and C")
_NAMES = rf"{_NAME}(?:(?:\s*,\s*(?:(?:and|und)\s+)?|\s+(?:und|and|&|et|y|e)\s+){_NAME}){{0,3}}"
# a name may be followed by a date, a time, a separator or a connecting word ("le", "am")
_REST = r"(?:\s*(?:[|,•·–—(/]|-\s|\d|am\b|le\b|on\b|el\b|il\b|den\b|um\b).*)?$"
_LABELLED = re.compile(rf"^{_LABEL}\s*:?\s+({_NAMES}){_REST}")
_LABEL_ONLY = re.compile(rf"^{_LABEL}\s*:?$")
# the date first, then the label: "Posted on 2 March 2019 by Jane Doe", "Veröffentlicht am
# 16.08.2019 von Jana Schmidt" (the theme's "posted on … by …" row)
_DATED_LABELLED = re.compile(rf"^(?:[Pp]osted|[Pp]ublished|[Ww]ritten|[Vv]eröffentlicht|[Gg]eschrieben)\s+"
                             rf"(?:on\s+|am\s+)?[\w.,/ -]{{4,40}}?\d\s+(?:by|von)\s+({_NAMES}){_REST}")
# a user name after a label that can only introduce a writer ("Verfasst von: mitundvoneinander |
# 31. Dezember 2008", "Posted by surfguard on …"); after a bare "by" or "von" one word may be
# anything ("by Monday")
_WRITER_LABEL = (r"(?:[Ww]ritten\s+by|[Pp]osted\s+by|(?:[Ee]rstellt|[Vv]erfasst|[Gg]eschrieben)\s+von|"
                 r"[Pp]ubli[ée]\s+par|[Pp]ublicado\s+por|Autor(?:in)?|Author|Auteur)")
_WRITER_LABEL_ONLY = re.compile(rf"^{_WRITER_LABEL}\s*:?$")
_LABELLED_USER = re.compile(rf"^{_WRITER_LABEL}\s*:?\s+([\w][\w.-]{{2,29}})(?:\s*[|,•·–—(/@]|\s+(?:am|on|le|el|um)\b|\s+\d|\s*$)")
_NAME_ONLY = re.compile(rf"^({_NAMES}){_REST}")
_NAME_SEPARATOR = re.compile(r"\s*,\s*(?:(?:and|und)\s+)?|\s+(?:und|and|&|et|y|e)\s+")
# a piece of text that joins two names printed in elements of their own ("<a>Jane Doe</a> and
# <a>John Smith</a>")
_JOINER = re.compile(r"^(?:,\s*)?(?:and|und|&|et|y|e)$|^,$")
_NAME_ALONE = re.compile(rf"^({_NAMES})$")
# a piece of text that is a date and nothing else: "19. Oktober 2019", "11.12.2019", "09 Jun 2020, 02:32 PM IST"
_DATE_PIECE = re.compile(r"^[\w.,:/ -]{6,40}$")
_PIECE_SEPARATOR = re.compile(r"\s+[-–—|·•]\s+|\s*\|\s*")
_WORD = re.compile(r"\w")
_HEADINGS = {"h1", "h2", "h3"}
_AUTHOR_LINK = re.compile(r"/(?:author|autor|autoren|auteur|authors|profile|profil|people|staff|journalist|"
                          r"redaktion|team|user|members?)(?:s|en)?[/?=#-]", re.IGNORECASE)
# pieces after the headline where an unlabelled byline (a name beside a date) is looked for
UNLABELLED_AFTER = 6
_ARTICLES = {"der", "die", "das", "the", "le", "la", "les", "el", "il", "den", "dem"}
_HIDDEN = {"script", "style", "noscript", "template", "title", "option"}
_TEXTS = etree.XPath("//body//text()")


# the last page's pieces: the reader asks for them up to four times a page (the byline by the
# headline, a related story's byline, a link to the writer's page, a copyright line), and a
# walk over a long page's text costs milliseconds. The tree is held until the next page.
_last_pieces: tuple[Any, list[tuple[str, Any]]] = (None, [])


def _pieces(tree) -> list[tuple[str, Any]]:
    """The page's visible pieces of text in reading order, each with the element it is the
    text of (or, for a tail, the element it follows). The reader does not change the tree
    between its questions; the pieces of the last tree asked about are kept."""
    global _last_pieces
    # one read of the shared pair: a worker's other thread may store its page's between two
    last = _last_pieces
    if last[0] is tree:
        return last[1]
    out = []
    for piece in _TEXTS(tree):
        owner = piece.getparent()
        if owner is None or (not piece.is_tail and owner.tag in _HIDDEN):
            continue
        text = " ".join(piece.split())
        if text:
            out.append((text, owner))
    _last_pieces = (tree, out)
    return out


# a day's number after a name: the date the byline prints after it
_DAY_AFTER = re.compile(r"\s*\d")
_MONTH_WORD = re.compile(rf"^(?i:{_MONTHS})\.?$")


def _name(match) -> str | None:
    from etl.readers.metadata.author import clean_author, without_roles

    name = match.group(1)
    if name.split()[0].lower() in _ARTICLES:
        return None         # "Der Autor", "The Editors"
    words = name.split()
    if len(words) >= 3 and _DAY_AFTER.match(match.string, match.end(1)) and _MONTH_WORD.match(words[-1]):
        # "By Jane Doe March 3, 2021": the month of the date after the name, capitalised like a name
        name = " ".join(words[:-1])
    # several authors ("Nathan Parker, Varun Khaneja, Eric Mill and Kiran C Nair"): each
    # cleaned on its own, "; "-joined as the other author sources give them
    names = [clean_author(part) for part in _NAME_SEPARATOR.split(name)]
    if len(names) == 1 or not all(names):
        return clean_author(name)
    # "By Tia Ghose, Staff Writer": the role is no second author
    return "; ".join(without_roles([n for n in names if n]))


# class/id words of a list of other stories beside the article ("related-posts", "more-stories",
# "read-next", "recommended"). Not "teaser" or an ad network's name: some sites mark the article's
# own meta row or wrapper so ("teaser_text_meta", "theme-taboola").
_OTHER_STORIES = re.compile(r"related|recommend|more[-_]?(?:stories|news|articles|posts|from)|read[-_]?next|"
                            r"up[-_]?next", re.IGNORECASE)


# an <aside> that lists stories: a heading over them, articles, or a link titled like a story (four
# words or more). Some sites print the article's own byline and date in an <aside> beside the
# headline, with share buttons at most ("Share this story", list items of network names).
_BOX_HEADINGS = etree.XPath("boolean(.//*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6 "
                            "or self::article])")
_BOX_LINKS = etree.XPath(".//a")


def _story_box(aside) -> bool:
    return bool(_BOX_HEADINGS(aside)) or any(len(a.text_content().split()) >= 4 for a in _BOX_LINKS(aside))


def in_other_stories(element, headline) -> bool:
    """Whether an element sits in a box that does not hold the headline and is an <aside> of
    stories (`_story_box`) or is marked as a list of other stories (`_OTHER_STORIES`): a related
    story's byline. Some sites mark the article's own box so ("relatedArticle", "teaser_blog"),
    the headline in it."""
    holding = set(headline.iterancestors())
    node = element
    while node is not None and node not in holding:
        if (node.tag == "aside" and _story_box(node)) \
                or _OTHER_STORIES.search(f"{node.get('class', '')} {node.get('id', '')}"):
            return True
        node = node.getparent()
    return False


def _headline_at(pieces: list[tuple[str, Any]], headlines: set[str]) -> int | None:
    """The index of the piece printing the headline: as a heading of three words or more
    before the same words as a link in a list of stories, else the first."""
    places = [i for i, (text, _) in enumerate(pieces)
              if any(text == h or (len(text) >= 10 and text in h) for h in headlines)]
    return next((i for i in places if pieces[i][1].tag in _HEADINGS and len(pieces[i][0].split()) >= 3),
                places[0] if places else None)


def printed_only_in_other_stories(tree, author: str, headlines: set[str]) -> bool:
    """Whether every piece of text printing the author's (first) name sits in a related
    story's box (`in_other_stories`), and some does: trafilatura reads byline classes
    anywhere on the page."""
    from etl.readers.metadata.page import fold

    name = fold(author.split(";")[0])
    pieces = _pieces(tree)
    at = _headline_at(pieces, headlines)
    if len(name) < 4 or at is None:
        return False
    # the surname as written, a cheap test before the folded comparison
    surname = author.split(";")[0].split()[-1].lower()
    seen = False
    for text, owner in pieces:
        if len(text) <= 200 and surname in text.lower() and name in fold(text):
            if not in_other_stories(owner, pieces[at][1]):
                return False
            seen = True
    return seen


def printed_byline(tree, headlines: set[str], unlabelled: bool = True) -> str | None:
    """The name(s) in the first byline printed near the headline (PIECES_BEFORE pieces of
    text before it, PIECES_AFTER after), or None. With `unlabelled`, a name printed beside a
    date just after the headline counts too (`_unlabelled_byline`), and failing that a name
    under a writer's label anywhere on the page (`_author_box`)."""
    pieces = _pieces(tree)
    at = _headline_at(pieces, headlines)
    if at is None:
        return _author_box(pieces) if unlabelled else None
    window = pieces[max(0, at - PIECES_BEFORE): at + PIECES_AFTER]
    for i, (text, owner) in enumerate(window):
        if len(text) > 120 or text in headlines:
            continue
        match = _LABELLED.match(text) or _DATED_LABELLED.match(text)
        if match is None and _LABEL_ONLY.match(text) and i + 1 < len(window):
            match = _NAME_ONLY.match(window[i + 1][0])
            if match is not None and _NAME_ALONE.match(window[i + 1][0]):
                match = _NAME_ONLY.match(_joined_names(window, i + 1))
        # a short story's window reaches the list of other stories under it, and their bylines
        if match is not None and not in_other_stories(owner, pieces[at][1]) and (name := _name(match)):
            return name
        if unlabelled:
            if _WRITER_LABEL_ONLY.match(text) and i + 1 < len(window):
                text = f"{text} {window[i + 1][0]}"     # the label and the name in two elements
            if (match := _LABELLED_USER.match(text)) is not None and (name := _user_name(match.group(1))):
                return name
    if not unlabelled:
        return None
    return _unlabelled_byline(pieces, at, headlines) or _author_box(pieces)


def _joined_names(window: list[tuple[str, Any]], at: int) -> str:
    """The name at window[at] with the further names joined to it piece by piece ("Jane Doe",
    "and", "John Smith"), as one text."""
    text = window[at][0]
    while at + 2 < len(window) and _JOINER.match(window[at + 1][0]) and _NAME_ALONE.match(window[at + 2][0]):
        text = f"{text}{'' if window[at + 1][0] == ',' else ' '}{window[at + 1][0]} {window[at + 2][0]}"
        at += 2
    return text


_WRITER_NAMED = re.compile(rf"^{_WRITER_LABEL}\s*:?\s+({_NAMES})$")
# the same in Chinese and Japanese: "作者：王小明", "责任编辑： 焦鹏", "記者：…" (a colon always; a
# bare "编辑" is an edit button). A name is two to four Han characters, "·" joining a foreign one.
_CJK_NAMED = re.compile(r"^(?:作者|記者|记者|責任編輯|责任编辑|编辑|編輯|撰文|筆者|文)\s*[：:]\s*([\u4e00-\u9fff·]{2,4})$")
_CJK_LABEL_ONLY = re.compile(r"^(?:作者|記者|记者|責任編輯|责任编辑|编辑|編輯|撰文|筆者)\s*[：:]$")
_CJK_NAME_ALONE = re.compile(r"^([\u4e00-\u9fff·]{2,4})$")


def _author_box(pieces: list[tuple[str, Any]]) -> str | None:
    """The name an information box gives under a writer's label, anywhere on the page outside
    furniture: "<h4>Autor</h4><p><a>Nikolai Huke</a></p>" in a column beside the story,
    "<dt>Author</dt><dd>…</dd>", "Autor: Samuel Diekmann" under it. Only the labels that can
    introduce nothing but a writer count here (not "by" or "von", which open prose), and the
    name must be all the next piece says."""
    for i, (text, owner) in enumerate(pieces):
        if len(text) > 60:
            continue
        match = _WRITER_NAMED.match(text)
        if match is None and _WRITER_LABEL_ONLY.match(text) and i + 1 < len(pieces):
            match = _NAME_ALONE.match(pieces[i + 1][0])
            owner = pieces[i + 1][1]
        if match is not None and not in_furniture(owner) and (name := _name(match)):
            return name
        match = _CJK_NAMED.match(text)
        if match is None and _CJK_LABEL_ONLY.match(text) and i + 1 < len(pieces):
            match = _CJK_NAME_ALONE.match(pieces[i + 1][0])
        if match is not None and not in_furniture(owner):
            return match.group(1)
    return None


# a page's copyright line naming a person: "Copyright (c) 2012- Gregory Szorc. All rights
# reserved", "© 2019 Jane Doe", "COPYRIGHT ANDRÉ LOIBL | …". The word "copyright", or the sign
# with a year: the sign alone before a name is a photo's credit ("© Niklas Grapatin").
_COPYRIGHT = re.compile(
    rf"(?:\b(?i:copyright)\b\s*(?:©|\([cC]\))?|(?:©|\([cC]\))(?=\s*(?:19|20)\d\d))\s*"
    rf"(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:(?:19|20)\d\d)?)?\s*,?\s*)?(?:by\s+)?"
    rf"({_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_WORD}){{1,2}}?)"
    rf"(?=\s*(?:[.,;|·•]|$|(?i:all|alle|tous|todos)\s))")
# a firm's, a newsroom's or an organisation's name (`metadata.author.ORGANISATION`), and, in a
# copyright line, a word with a capital inside ("KulturKaufhaus") or a name opening with an
# article ("The Anarcat", "La Tercera")
_NOT_A_PERSON = re.compile(r"(?<!\bM)(?<!\bMa)[a-zäöüß][A-ZÄÖÜ]|^(?:Le|La|Les|El|Il)\s")


def copyright_holder(tree, keys: set[str]) -> str | None:
    """The person a page's copyright line names (`_COPYRIGHT`), on a page whose markup and
    byline name no one: a personal site's owner is its writer. A firm's or an organisation's
    name, or the site's own, is no author."""
    from etl.readers.metadata.author import ORGANISATION, _names_publisher, clean_author

    for text, _ in _pieces(tree):
        if len(text) > 300 or "opyright" not in text and "OPYRIGHT" not in text and "©" not in text \
                and "(c)" not in text and "(C)" not in text:
            continue
        for match in _COPYRIGHT.finditer(text):
            name = match.group(1).rstrip(".")
            if ORGANISATION.search(name) or _NOT_A_PERSON.search(name) or _names_publisher(name, keys):
                continue
            if (found := clean_author(name, keys)) is not None:
                return found
    return None


# a link to a writer's page whose address spells the writer's name ("/autor/jane-doe-1270",
# "?searchword=jane-doe&searchphrase=author"): two to four words of letters. The word for a
# writer is a path segment, a query key or value of its own, never a part of a word: a tag
# "/tag/palestinian-authority", "/tema/autoridad-palestina" names no writer
_AUTHOR_HREF = re.compile(r"(?:^|/)(?:authors?|autor(?:en|in|es|as)?|auteurs?|writers?|journalists?|staff|"
                          r"byline)(?:/|$)|[?&][\w-]*author[\w-]*=|=(?:authors?|autor|auteur)(?:[&#]|$)", re.IGNORECASE)
_NAME_SLUG = re.compile(r"(?:^|[/=])((?:[^\W\d_]+[-_+]){1,3}[^\W\d_]+)(?:[-_]\d+)?/?(?:$|[?&#])")
# a list of the story's tags, categories or topics: its links name subjects, never the writer
_TAG_LIST = re.compile(r"(?:^|[\s_-])(?:tags?|categor(?:y|ies)|topics?|keywords?|themen|temas|etiquetas|sujets)"
                       r"(?:$|[\s_-])", re.IGNORECASE)


def _in_tag_list(link) -> bool:
    """Whether a link is a tag (rel=tag) or sits in a list of tags, categories or topics."""
    if {"tag", "category"} & set((link.get("rel") or "").lower().split()):
        return True
    node = link.getparent()
    for _ in range(4):
        if node is None or node.tag in ("body", "article"):
            break
        if _TAG_LIST.search(f"{node.get('class', '')} {node.get('id', '')}"):
            return True
        node = node.getparent()
    return False


def author_in_link_address(tree) -> str | None:
    """The writer a link to their page names by its address, printed as a name on the page: an
    author box whose link reads "All articles" beside the name, a name in a heading of its own.
    The printed text must spell the address's words exactly (case, accents and spaces aside)."""
    from etl.readers.metadata.author import clean_author
    from etl.readers.metadata.page import fold

    slugs: dict[str, bool] = {}       # folded name -> linked from outside page furniture
    for link in tree.iter("a"):
        href = link.get("href") or ""
        if _AUTHOR_HREF.search(href.split("#", 1)[0]) and not _in_tag_list(link):
            outside = not in_furniture(link)
            for m in _NAME_SLUG.finditer(href.split("//", 1)[-1].split("/", 1)[-1]):
                slug = fold(m.group(1))
                slugs[slug] = slugs.get(slug, False) or outside
        if len(slugs) >= 10:
            break
    # an author box in a sidebar counts when it is the only writer the page links to (a
    # widget listing the site's writers links to several)
    if len(slugs) > 1:
        slugs = {slug: outside for slug, outside in slugs.items() if outside}
    for text, owner in _pieces(tree):
        if len(text) < 60 and fold(text) in slugs and _NAME_ALONE.match(text) \
                and (len(slugs) == 1 or not in_furniture(owner)):
            return clean_author(text)
    return None


# WordPress marks a comment written by the post's own author `bypostauthor`, and its commenter's
# display name as an hCard formatted name (`fn`)
_POST_AUTHOR_COMMENTS = etree.XPath("//*[contains(concat(' ', normalize-space(@class), ' '), ' bypostauthor ')]")
_FORMATTED_NAME = etree.XPath(".//*[contains(concat(' ', normalize-space(@class), ' '), ' fn ')]")


def post_author_in_comments(tree) -> str | None:
    """The display name the post's author signs their own comments with, on a WordPress page
    (`bypostauthor`): the writer, where the markup names only a user name or no one. The first
    formatted name in the comment is its own commenter's (replies to it are nested after)."""
    from etl.readers.metadata.author import clean_author

    for comment in _POST_AUTHOR_COMMENTS(tree)[:3]:
        for element in _FORMATTED_NAME(comment)[:1]:
            if (name := clean_author(" ".join(element.text_content().split()))) is not None:
                return name
    return None


def _user_name(word: str) -> str | None:
    from etl.readers.metadata.author import clean_author, names_desk

    return None if names_desk(word) else clean_author(word)


# classes of a story's categories, tags and sections: capitalised words beside a date that
# name no one ("Wissenschaft Atmosphäre Klima" in `news-list-category`)
_TAXONOMY_MARKS = re.compile(r"categor|tag|topic|rubri|keyword|kicker|label|section|ressort|breadcrumb|themen",
                             re.IGNORECASE)


def _taxonomy(element) -> bool:
    """Whether an element or its parent is marked as a category, tag or section."""
    for node in (element, element.getparent()):
        if node is not None and _TAXONOMY_MARKS.search(f"{node.get('class', '')} {node.get('id', '')}"):
            return True
    return False


def _is_date(text: str) -> bool:
    from etl.readers.page_dates import printed_dates

    return _DATE_PIECE.match(text) is not None and bool(printed_dates(text))


def _unlabelled_byline(pieces: list[tuple[str, Any]], at: int, headlines: set[str]) -> str | None:
    """A name printed beside a date just after the headline, with no label: "11.12.2019 -
    Amelie Loevenich", "19. Oktober 2019" then "Boris T. Kaiser", "ET Online | 09 Jun 2020"."""
    # separators printed as pieces of their own ("|", "·") stand between a name and its date
    after = [piece for piece in pieces[at + 1: at + 1 + 2 * UNLABELLED_AFTER] if _WORD.search(piece[0])]
    after = after[:UNLABELLED_AFTER]
    for i, (text, owner) in enumerate(after):
        if len(text) > 80 or text in headlines:
            continue
        parts = _PIECE_SEPARATOR.split(text)
        if len(parts) == 2:
            for name, other in (parts, parts[::-1]):
                match = _NAME_ALONE.match(name)
                if match is not None and _is_date(other) and (found := _name(match)):
                    return found
        match = _NAME_ALONE.match(text)
        if match is None or (owner.tag == "a" and not _AUTHOR_LINK.search(owner.get("href") or "")) \
                or _taxonomy(owner):
            continue        # a link is a byline only to an author's page, not to a category or a story
        neighbours = [after[j][0] for j in (i - 1, i + 1) if 0 <= j < len(after)]
        if any(_is_date(n) for n in neighbours) and (found := _name(match)):
            return found
    return None
