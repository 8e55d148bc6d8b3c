"""Title, publication date and author of an HTML page, chosen from the page's own markup
before trafilatura's and htmldate's guesses.

A page states its metadata in several places: Open Graph and Twitter tags, JSON-LD
(schema.org `NewsArticle`, `BlogPosting`...), microdata (`itemprop`), `<time>` elements, the
`<title>`, the visible `<h1>`, byline elements. Each of them is wrong on some pages: `<title>`
and og:title carry the site's name ("… | eHow", "Site — …"), an `<h1>` can be the blog's name,
a logo or a comment form's "Leave a Reply", `dateModified` is later than the story, a byline
reads "By Jane Doe, Dec 3". So every source is read, cleaned, and the answer is the value the
sources agree on.

- `page`: one pass over the parsed tree collects what each source says (`page_facts` ->
  `PageFacts`), and the names the site goes by (`site_keys`);
- `title`: `choose_title`, by a vote among the title sources;
- `published`: `choose_date`, the declared publication dates against htmldate's guess;
- `author`: `choose_author`, the first source that names a person.

What the page prints for its readers is read after them, in `etl/readers/page_dates.py` (the
date printed by the headline, a labelled "Veröffentlicht am …" date) and
`etl/readers/page_bylines.py` (a byline printed by the headline, labelled or beside a date).
"""
