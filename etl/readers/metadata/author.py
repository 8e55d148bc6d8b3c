"""The author of an HTML page: trafilatura's guess, a byline or signature in the text, the
JSON-LD and meta authors, rel=author links and byline elements, each cleaned (`clean_author`)."""
from __future__ import annotations

import html
import re

from etl.readers.metadata.page import PARSELY_PAGE_AUTHORS, PageFacts, fold, site_keys
from etl.text import normalise_whitespace


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
# the byline row's links glued after the name by the layout: "Christian DatocSports
# EditorSee All ArticlesSend Email", "Jane Doe Follow", "Jane Doe | More from Jane Doe"
_GLUED_LINKS = re.compile(r"(?:(?<=[a-z])|\s+)(?:See All|See all|Send Email|Send email|Subscribe|Follow|More From|"
                          r"More from|More by|View Profile|View profile|Read More|Read more|Email Author|"
                          r"Email the author|See [Ff]ull [Bb]io|[Ff]ull [Bb]io|View [Bb]io|Read [Bb]io|"
                          r"See [Pp]rofile|All [Pp]osts|All [Aa]rticles|More [Aa]rticles|More [Ss]tories)\b.*$"
                          # the author's profiles: "Angelika Leitner Google+ mehr"
                          r"|\s+(?:Google\+|Twitter|Facebook|LinkedIn|Instagram|XING|Xing)(?:\s|$).*$")
# an e-mail address spelled as lower-case words after the name: "María Carrasquilla maria
# carrasquilla com pa" (maria.carrasquilla@….com.pa)
_GLUED_ADDRESS = re.compile(r"(?:\s+[a-z0-9_-]+){1,4}\s+(?:com|net|org|de|at|ch|fr|es|it|info|eu)(?:\s+[a-z]{2})?$")
# a job title glued to the name ("DatocSports Editor", "DoeStaff Writer")
_GLUED_ROLE = re.compile(r"(?<=[a-z])(?:[A-Z][a-z]+\s)?(?:Editor|Writer|Reporter|Correspondent|Contributor|"
                         r"Columnist|Commentator)$")
# a part of an author value that names a role or a degree, not a person: "Tia Ghose; Staff
# Writer", "Charles Q. Choi; Space.com Contributor", "Grant Tinsley; PhD"
_ROLE_PART = re.compile(r"^(?:[\w.'’-]+\s+){0,3}(?:writer|contributor|editor|reporter|correspondent|columnist|"
                        r"commentator|photographer|redakteur(?:in)?|autor(?:in)?|mitarbeiter(?:in)?)s?$|"
                        r"^(?:ph\.?\s?d\.?|m\.?d\.?|msc|mba|rdn?|dr\.?|md)$", re.IGNORECASE)
# what a firm, a newsroom or an organisation, not a person, is called by: the affiliation a
# byline gives beside the name ("Amy Kuperinsky | NJ Advance Media", "Keith Spera, The
# Times-Picayune", "Jill Disis, CNN Business"), a copyright line's firm ("Schaub Medien AG")
ORGANISATION = re.compile(
    r"\b(?:GmbH|AG|SE|KG|e\.\s?V|Inc|Ltd|LLC|LLP|Corp|Corporation|Company|Co|S\.?A|S\.?L|B\.?V|Oy|Oyj|AB|AS|"
    r"Media|Medien|Group|Gruppe|Verlag|Network|Publishing|Press|News|Foundation|Stiftung|Association|Verein|"
    r"Institut|Institute|University|Universität|Team|Redaktion|Studio|Studios|Productions|Digital|Online|"
    r"Magazin|Magazine|Zeitung|Times|Post|Radio|TV|S\.?p\.?A|Verband|Gewerkschaft|Bundesvorstand|Partei|Kirche|"
    r"Museum|Bank|Hotel|Shop|Store|Agentur|Agency|Consulting|Solutions|Services|Systems|Software|Technologies|Labs|"
    r"Club|Klub|Project|Projekt|Holdings?|Business)\b\.?|(?-i:^(?:The|Der|Die|Das)\s)", re.IGNORECASE)
# a host name or e-mail address spelled as words by the author field beside the name ("Kyle
# Meinke; Kmeinke Com" for kmeinke@mlive.com, "Frank Bueltge; Bueltge De")
_DOMAIN_WORDS = re.compile(r"^[\w-]+(?:\s[\w-]+)?\s(?:com|net|org|de|at|ch|fr|uk|co|es|it|io|info|eu)$",
                           re.IGNORECASE)
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
# a month left after a name once its day and year were cut ("Carrie Arnold November", "Jane
# Doe Dec"): only months no one is named after (not May, June, April, August, March)
_TRAILING_MONTH = re.compile(r"(?<=\w)\s+(?:jan(?:uary|uar)?|feb(?:ruary|ruar)?|sept?(?:ember)?|oct(?:ober)?|"
                             r"okt(?:ober)?|nov(?:ember)?|dec(?:ember)?|dez(?:ember)?|janvier|f[ée]vrier|"
                             r"septembre|octobre|novembre|d[ée]cembre)\.?$", re.IGNORECASE)
# a wire service printed after the reporter's name with no separator ("ERIC TUCKER Associated
# Press"): the reporter's employer, not a second author
_TRAILING_WIRE = re.compile(r"(?<=\w)\s+(?:The\s+)?(?:Associated\s+Press|Reuters|Agence\s+France-Presse|AFP|"
                            r"Bloomberg(?:\s+News)?)$", re.IGNORECASE)
_MONTH_ONLY = re.compile(rf"^(?:{_MONTHS})\.?$", re.IGNORECASE)
_NOT_NAMES = {"username", "user", "name", "admin", "administrator", "author", "autor", "auteur", "by", "posted",
              "von", "editor", "editors", "staff", "guest", "gast", "anonymous", "anonym", "unknown",
              "seefullbio", "fullbio", "bio", "more", "read more", "follow", "contact", "kontakt", "email",
              "comments", "comment", "share", "webmaster", "team", "home", "news", "facebook", "twitter",
              "ihrname", "yourname", "namerequired", "nameerforderlich", "none", "null", "abonnieren",
              "subscribe", "login", "anmelden", "profile", "profil", "alleartikel", "allarticles", "die", "der",
              "cortesia", "courtesy",
              "das", "the", "la", "le", "el"}


# lower-case words a name may open with ("van der Berg", "al-Assad", "bin Laden")
_PARTICLES = {"de", "da", "del", "della", "di", "do", "dos", "das", "du", "van", "von", "der", "den", "ter", "le", "la",
              "al", "el", "bin", "ibn", "abu", "ben", "d'", "mc"}
# a byline's first word that no name starts with: "See full bio", "Veröffentlicht am" left
# once no name follows
_NOT_FIRST_WORDS = {"see", "view", "more", "alle", "all", "mehr", "posted", "published", "veroeffentlicht",
                    "geschrieben", "verfasst", "erstellt", "updated", "aktualisiert", "publie", "publicado",
                    "pubblicato", "gepostet", "last", "submitted", "eingereicht"}
# a photo's credit, not the story's author: "Foto: Ingo Schneider", "Photo / AFP"
_CREDIT = re.compile(r"^(?:fotos?|photos?|bilder?|images?|credits?|quelle|source|grafik|illustration)"
                     r"(?:\s*[:/©|]|\s+(?:by|von|de|par)\b)", re.IGNORECASE)
# who built the site, not who wrote the story: a web agency ("Web Commerce GmbH
# www.w-commerce.de"), the software ("Hecho en Bolivia con Drupal por Smartica")
_MAKER = re.compile(r"\b(?:GmbH|mbH|Ltd|LLC|Drupal|WordPress|Joomla|TYPO3|powered\s+by|design(?:ed)?\s+by|"
                    r"hecho\s+en|made\s+(?:with|by)|theme\s+by)\b", re.IGNORECASE)
# "ca. 8 Min.", "5 min read": a reading time in the byline row
_READING_TIME = re.compile(r"\d+\s*(?:min|mins|minutes|minuten|minutos)\b", re.IGNORECASE)
# the job title after a name: "Christoph Hein Chefredakteur", "Jane Doe, Reporter"
# "Jane Doe Reporter", "Christoph Hein Chefredakteur": nouns no surname is
_ROLE_NOUNS = (r"chefredakteur(?:in)?|redakteur(?:in)?|editor(?:-in-chief)?|reporter(?:in)?|correspondent|"
               r"korrespondent(?:in)?|journalist(?:in)?")
# nouns that are also surnames ("Jane Writer"): a role only after a comma or a qualifier
_ROLE_NOUNS_QUALIFIED = r"writer|columnist|contributor|analyst"
# the words a job title opens with before its noun: "Senior Middle East Correspondent",
# "Chief Foreign Correspondent", "Staff Writer", "Contributing Editor"
_ROLE_QUALIFIERS = (r"ap|afp|reuters|dpa|cnn|bbc|senior|chief|staff|contributing|special|foreign|political|national|international|deputy|"
                    r"associate|managing|executive|investigative|diplomatic|defen[cs]e|security|science|health|"
                    r"business|economics|sports?|legal|news|digital|regional|local|middle|east|west|north|south|"
                    r"africa|asia|europe|washington|white|house|world|global|features?|opinion|technology|"
                    r"environment|climate|education|crime|court|energy|investigations?")
_TITLE = rf"(?:(?i:{_ROLE_QUALIFIERS})\s+)*(?:(?i:{_ROLE_NOUNS})|(?i:{_ROLE_NOUNS_QUALIFIED}))\.?"
# a title that is the whole part after the last comma, bar or dash: "Jane Doe, Senior Middle
# East Correspondent", "Ed White, Staff Writer", "Tom West - Chief Correspondent"
_ROLE_AFTER_SEPARATOR = re.compile(rf"(?:\s*[,|–—]\s*|\s+-\s+){_TITLE}$")
# a title after a space only: "Jane Doe Chief Foreign Correspondent", "Jane Doe Staff Writer";
# its qualifiers may be surnames ("Sam House Editor"), so they are taken only while two words
# of the name stay before them (group 1: the qualifiers)
_ROLE_AFTER_SPACE = re.compile(rf"((?:\s+(?i:{_ROLE_QUALIFIERS}))*)\s+(?i:{_ROLE_NOUNS})\.?$|"
                               rf"((?:\s+(?i:{_ROLE_QUALIFIERS}))+)\s+(?i:{_ROLE_NOUNS_QUALIFIED})\.?$")
_ONLY_QUALIFIER = re.compile(rf"^(?:(?i:{_ROLE_QUALIFIERS})\s*)*$")


def _without_title(text: str) -> str:
    """A name with the job title after it cut (`_ROLE_AFTER_SEPARATOR`, `_ROLE_AFTER_SPACE`)."""
    if (match := _ROLE_AFTER_SEPARATOR.search(text)) is not None:
        return text[:match.start()]
    if (match := _ROLE_AFTER_SPACE.search(text)) is None:
        return text
    name = text[:match.start()].split()
    qualifiers = (match.group(1) or match.group(2) or "").split()
    while len(name) < 2 and qualifiers:
        name.append(qualifiers.pop(0))
    if not qualifiers and match.group(2) is not None:
        return text     # "Jane Writer": a surname, no title
    return " ".join(name)


# a full month's name glued by minified markup to the name before it ("Jane DoeMarch" once the
# day after it was cut); not after a surname's prefix ("Curtis LeMay", "Anna McJune")
_GLUED_MONTH = re.compile(r"(?<=[a-z])(?:January|February|March|April|May|June|July|August|September|October|"
                          r"November|December|Januar|Februar|März|Juni|Juli|Oktober|Dezember)$")
_SURNAME_PREFIXES = {"mc", "mac", "de", "di", "da", "du", "le", "la", "van", "von", "del", "della", "dela", "des",
                     "fitz", "st"}


def _without_glued_month(text: str) -> str:
    """A name with a month glued after it cut, where a name of two words whose last is three
    letters or more, not a surname's prefix, stays: "Jane DoeMarch" -> "Jane Doe"."""
    if (match := _GLUED_MONTH.search(text)) is None:
        return text
    words = text[:match.start()].split()
    if len(words) >= 2 and len(words[-1]) >= 3 and words[-1].isalpha() and fold(words[-1]) not in _SURNAME_PREFIXES:
        return text[:match.start()]
    return text


def clean_author(raw: str | None, keys: set[str] | frozenset[str] = frozenset()) -> str | None:
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
    text = _GLUED_LINKS.sub("", text)
    if text[:1].isupper():
        text = _GLUED_ADDRESS.sub("", text)
    text = _AFTER_NAME.sub("", text).strip(" |,:;-–—·•()")
    text = _GLUED_ROLE.sub("", text)
    text = _GLUED_AFTER.sub("", text)
    if len(text.split()) >= 3:
        text = _TRAILING_MONTH.sub("", text)
        if len((person := _TRAILING_WIRE.sub("", text)).split()) >= 2 and fold(person.split()[0]) != "the":
            text = person
    text = re.sub(r"\s*\((?:[^()]*)\)$", "", text).strip()
    if _CREDIT.match(text) or _READING_TIME.search(text) or _MAKER.search(text):
        return None
    # a role alone ("AP National Political Writer", a part of "Jane Doe, AP National Political
    # Writer" split at its comma) stays whole: `without_roles` drops it beside the name
    if not _ONLY_QUALIFIER.match(cut := _without_title(text)):
        text = cut
    text = _without_glued_month(text)
    f = fold(text)
    if not f or f.isdigit() or len(text.split()) > 8 or _MONTH_ONLY.match(text):
        return None
    if "?" in text or f in _WEEKDAYS:
        return None
    words = text.split()
    if len(words) > 1 and words[0].isalpha() and words[0].islower() and words[0] not in _PARTICLES:
        return None     # a phrase, not a name: "deinen Hochzeitsbloggern", "mehr von uns"
    if f in _NOT_NAMES or fold(text.split()[0]) in _NOT_FIRST_WORDS \
            or any(fold(w) in ("says", "sagt", "schreibt", "required", "erforderlich") for w in text.split()):
        return None
    return text


# a desk's or the wires' generic name as author ("Agencies", "Redaktion", "Staff"): a byline
# printed by the headline names the writer better
_DESKS = {"agencies", "agency", "wires", "redaktion", "onlineredaktion", "staff", "editorial", "newsdesk", "webdesk",
          "desk", "nachrichtenredaktion", "editors", "redaccion", "redazione", "redaction"}


def names_desk(name: str) -> bool:
    """Whether an author value is a generic desk's name (`_DESKS`)."""
    return fold(name) in _DESKS


def without_roles(names: list[str]) -> list[str]:
    """The names less those that are a role, a degree or a host name spelled as words
    ("Staff Writer", "PhD", "Kmeinke Com") or an organisation beside a person ("NJ Advance
    Media", "The Plain Dealer"), unless nothing else is left: a desk's role alone
    ("Staff Writer") is what the page says, and a site's name alone is the publisher's."""
    people = [n for n in names if not _ROLE_PART.match(n) and not _DOMAIN_WORDS.match(n)]
    # an organisation beside a person is the person's affiliation, not a second author
    persons = [n for n in people if not ORGANISATION.search(n)]
    return persons or people or names


# words a publisher's name carries as an author ("GQ Magazine", "Redaktion Example Times",
# "Example Times Staff", "The Example Times Online"): with them dropped, the name is the site's
_PUBLICATION_WORDS = {"magazine", "magazin", "magazines", "online", "staff", "redaktion", "onlineredaktion",
                      "team", "editors", "editorial", "newsroom", "desk", "digital", "die", "the", "von", "der",
                      "des", "of", "la", "le", "el", "il"}


def names_site_desk(name: str, keys: set[str]) -> bool:
    """Whether an author value is the site's name with publication words around it ("GQ
    Magazine", "Redaktion Example Times", "example.at Redaktion"): the site's desk, which some
    pages print as their byline too."""
    words = re.findall(r"\w+", name)
    if len(words) < 2 or not (fold(words[0]) in _PUBLICATION_WORDS or fold(words[-1]) in _PUBLICATION_WORDS):
        return False
    while words and fold(words[0]) in _PUBLICATION_WORDS:
        words.pop(0)
    while words and fold(words[-1]) in _PUBLICATION_WORDS:
        words.pop()
    bare = fold(" ".join(words))
    return bool(bare) and bare != fold(name) and bare in keys


def _names_publisher(name: str, keys: set[str]) -> bool:
    """Whether an author value is the site's or publisher's own name ("Deutsche Welle",
    "Mdr.de", "Die FURCHE", "Google" on googleblog.com): equal to one of its folded names,
    or to one with an article or a domain ending added or dropped, or with publication words
    (`_PUBLICATION_WORDS`) around it."""
    if names_site_desk(name, keys):
        return True
    f = fold(name)
    for key in keys:
        if f == key:
            return True
        longer, shorter = (f, key) if len(f) > len(key) else (key, f)
        if len(shorter) >= 4 and (longer.startswith(shorter) or longer.endswith(shorter)) \
                and len(longer) - len(shorter) <= 4:
            return True
    return False


# Dublin Core and the citation tags (Highwire Press's, which Google Scholar reads) write a person
# "Surname, Given names"; trafilatura splits the value at its comma into two authors
_INVERTED_FIELDS = ("citation_author", "dc.creator", "dcterms.creator", "dc.contributor")
_CAP_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’-]*"
# A given name after another only past a space or the other's dot ("Mara K.", "M.J."): a word
# is never split, so a long run of letters is refused in one pass, not tried at every cut.
_INVERTED = re.compile(rf"^\s*({_CAP_WORD}(?:\s+{_CAP_WORD})?)\s*,\s*"
                       rf"({_CAP_WORD}\.?(?:(?:\s+|(?<=\.)){_CAP_WORD}\.?){{0,2}})\s*$")


def _given_name_first(facts: PageFacts, fallback: str | None) -> str | None:
    """"Mara Lind" for a Dublin Core or citation author field holding "Lind, Mara" that
    trafilatura's author (`fallback`) repeats or that stands alone; None otherwise. A field
    holding two names ("Mara Lind, Tom Berg": two words before the comma and after) or a role
    ("Lind, Reporter") is left as it is."""
    for key in _INVERTED_FIELDS:
        value = facts.meta.get(key) or ""
        match = _INVERTED.match(value)
        if match is None or (fallback is not None and fold(fallback) != fold(value)):
            continue
        surname, given = match.groups()
        if len(surname.split()) > 1 and len(given.split()) > 1 or _ROLE_PART.match(given) \
                or ORGANISATION.search(value):
            continue
        return f"{given} {surname}"
    return None


_META_AUTHOR = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl",
                "dcterms.creator", "twitter:creator", PARSELY_PAGE_AUTHORS)


# "Jana Berg und Tom Kurz", "Jane Doe and Tom Berg": two people in one byline (trafilatura keeps
# the byline whole); each side a name of two to four capitalised words
_PERSON = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:\s+(?:(?:de|van|von|der|da|di|du|le|la|al|el|bin)\s+)?[A-ZÀ-ÖØ-Þ][\w'’.-]*){1,3}"
_TWO_PEOPLE = re.compile(rf"^\s*(?:(?i:by|von|par|por|door)\s+)?({_PERSON})\s+(?:and|und|et|y|e|en|&)\s+({_PERSON})\s*$")


def _joined_people(part: str) -> list[str]:
    """A byline naming two people joined by a conjunction, as the two names; else the byline."""
    match = _TWO_PEOPLE.match(part) if " " in part else None
    if match is None or ORGANISATION.search(part):
        return [part]
    return [match.group(1), match.group(2)]


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
    publisher = desk = None
    if (given_first := _given_name_first(facts, fallback)) is not None:
        fallback = given_first

    def person(names: list[str]) -> list[str]:
        nonlocal publisher, desk
        people = [n for n in names if not _names_publisher(n, keys)]
        desk = desk or next((n for n in names if names_site_desk(n, keys)), None)
        if names and not people and publisher is None:
            publisher = names[0]
        return people

    parts = [name for part in html.unescape(fallback or "").split(";") for name in _joined_people(part)]
    # "Olympia-Verlag GmbH; Nürnberg; Germany": a firm's name and its address, no part a person
    first = [] if any(_MAKER.search(part) for part in parts) else \
        [n for n in (clean_author(part, keys) for part in parts) if n]
    if found := person(without_roles(list(dict.fromkeys(first)))):
        return "; ".join(found)
    if (signed := byline_in_text(body)) is not None and person([signed]):
        return signed
    facts.bylines()
    meta = [facts.meta.get(k) for k in _META_AUTHOR]
    meta += [v for k, v in facts.meta.items() if k.endswith("author") and k not in _META_AUTHOR]
    sources = [facts.ld_authors, [m for m in meta if m and not m.startswith(("http", "@"))],
               facts.rel_authors, facts.byline_authors]
    for names in sources:
        if desk is not None and names is facts.byline_authors:
            # the site's desk ("von example.at Redaktion") gives way to a field naming the
            # writer, not to the words of byline-classed boxes (a brand's "Hyundai", a section)
            break
        found = person(without_roles(list(dict.fromkeys(n for n in (clean_author(name, keys) for name in names[:6])
                                                        if n))))
        if found:
            return "; ".join(found[:4]) if names is facts.ld_authors else found[0]
    return desk or publisher


# "Von Jane Doe", "By Jane Doe and John Roe", "Text von Jane Doe", "Autorin: Jane Doe" opening or
# closing the article text
_ROLE_WORDS = r"(?!(?:Illustrations?|Fotos?|Foto:|Bilder?|Photos?|Grafik|Redaktion|Mitarbeit)\b)"
_NAME_WORD = rf"{_ROLE_WORDS}[A-ZÀ-ÖØ-Þ][\w.'’-]+"
_TEXT_BYLINE = re.compile(
    rf"^(?i:by|von|text(?:\s+von)?|texte|autor(?:in)?|author|par|por|di)\s*:?\s+"
    rf"({_NAME_WORD}(?:\s+(?:{_NAME_WORD}|von|van|de|der|den|du|da|und|and|&|et|y)){{0,6}})", re.UNICODE)
# a closing line that is a name and nothing else ("Stefan Wasmer"), as news sites sign articles
_SIGNATURE = re.compile(rf"^{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}}$", re.UNICODE)

# the office a statement's signer gives under the name ("DITIB-Bundesvorsitzender", "President
# of the Syrian Red Crescent", "Geschäftsführerin"): a short line whose word of office is
# its first or last, or the last part of a compound
_OFFICES = (r"vorsitzende[rn]?|präsident(?:in)?|direktor(?:in)?|sprecher(?:in)?|leiter(?:in)?|geschäftsführer(?:in)?|"
            r"bürgermeister(?:in)?|minister(?:in)?|vorstand|beauftragte[rn]?|bischof|pfarrer(?:in)?|"
            r"president|director|chair(?:man|woman|person)?|ceo|secretary|spokes(?:man|woman|person)|founder|"
            r"coordinator|commissioner|ambassador|envoy|président(?:e)?|directeur|directrice|presidente|director[ae]?")
_SIGNED_ROLE = re.compile(rf"^(?:[\w.'’&-]+\s+){{0,4}}?(?:[\w'’&]+-)?\w*?(?i:{_OFFICES})(?:-General)?"
                          rf"(?:\s+(?:of|for|der|des|du|de|del)\b(?:\s+[\w.'’&-]+){{1,5}})?$", re.UNICODE)


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
    if len(lines) > 3 and len(lines[-1]) <= 100 and _SIGNED_ROLE.match(lines[-1]) and _SIGNATURE.match(lines[-2]) \
            and not lines[-2].isupper():
        # a statement signed with the signer's office on the line after the name
        return clean_author(lines[-2])
    return None


# news agencies whose credit opens a wire story's first paragraph ("Hamburg (dpa/lno) – …",
# "BEIRUT (Reuters) - …", "DAMASCUS, Syria (AP) — …"): national agencies of Europe and the
# Middle East, and the world services
_AGENCIES = (r"dpa|afp|ap|reuters|epd|kna|sid|apa|ansa|efe|dts|ddp|upi|xinhua|anadolu|aa|sana|irna|wafa|mena|"
             r"kuna|spa|qna|petra|nna|tass|ria|interfax|ukrinform|unian|ians|pti|yonhap|kyodo|aap|belga|anp|sda|ats|"
             r"lusa|pap|ctk|mti|bta|hina|tanjug|ana|ips|cna|bernama|trt|isna|tasnim|fars|mehr")
_WIRE_CREDIT = re.compile(
    rf"^[A-ZÀ-Þ][\w'’.-]*(?:[ ,/-]+[\w'’.-]+){{0,3}}\s*\(((?i:{_AGENCIES})(?:\s*/\s*\w{{2,6}})*)\)\s*[-–—:.]")


def wire_credit(body: str) -> str | None:
    """The agency a wire story's dateline credits ("dpa/lno" for "Hamburg (dpa/lno) – …"), in
    one of the text's first three paragraphs."""
    for line in [line for line in (body or "").split("\n") if line.strip()][:3]:
        match = _WIRE_CREDIT.match(line.strip())
        if match:
            return match.group(1)
    return None
