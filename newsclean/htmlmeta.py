"""A page's title, date, author and site name from its HTML, found as trafilatura finds them (meta tags,
JSON-LD, then the page itself), less what newsclean never uses: categories, tags and licence, most of
trafilatura's metadata time (25 -> 11 ms a page on the dev sets, the same four fields on all 381 pages
compared). htmldate's extensive date search stays: without it 22 of those pages lost their date.

htmldate hands the date strings its own patterns cannot read to dateparser, as a last resort. We read
them with newsclean's date reader instead, in every process that imports this module (the cleaning
workers, and the crawl's own with NEWSCLEAN_WORKERS = 0): dateparser tries all its 200 locales on a
string none of them claims, compiling a pattern for each the first time (2.6 s of CPU in each worker
process). On the 974 dev pages it read 8 dates, 3 of which decided their page's date; with ours,
every page's date is the same."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit
from datetime import date, datetime

import htmldate.extractors
from htmldate import find_date
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.metadata import (META_URL, examine_meta, extract_author, extract_meta_json, extract_sitename,
                                  extract_title, extract_url)
from trafilatura.settings import Document

from . import dates
from .rules.title import SITE_SEPARATORS, site_beside
from .text import CLOSE_SCRIPTS, fold

# trafilatura's search for an author in the page's body (extract_author: its AUTHOR_XPATHS, on a pruned
# copy of the page) costs 15 ms a page and finds nothing on 4 in 10 of the dev pages that need it. Each
# of its conditions asks for one of these words in a class, id, rel, itemprop, data-testid or
# data-component attribute, or for an <author> or <rel> element: a page with none has no author there
# (tests/test_extract.py checks the words against trafilatura's expressions).
_AUTHOR_WORDS = re.compile(r"uthor|yline|byl|BBL|username|screenname|writer|channel-name|zuozhe|bianji|xiaobian|"
                           r"submitted-by|posted-by|journalist-name")
_AUTHOR_ATTRIBUTES = etree.XPath("//@class | //@id | //@rel | //@itemprop | //@data-testid | //@data-component",
                                 smart_strings=False)
_AUTHOR_ELEMENTS = etree.XPath("boolean(//author | //rel)")


# Scripts that write a name as one word.
_ONE_WORD_NAME_RE = re.compile(f"[{CLOSE_SCRIPTS}]")

# What stands between a headline and the site's name in a page's title: a <title> line's separators
# (rules.title), one or two of them ("--"), and " : ", which stands in headlines too but here only before
# or after the site's known name. Dashes and colons only with spaces around them: "Reuters-Ipsos poll"
# and "Reuters: poll" keep their words.
_SEPARATOR = r"(?:\s+[" + re.escape("".join(sorted({*"".join(SITE_SEPARATORS), ":"}))) + r"]{1,2}\s+|\s*[|·]\s*)"
_MIN_HEADLINE_CHARS = 10  # less is the site's name itself, or a section's


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    date: str | None = None  # ISO 8601 YYYY-MM-DD
    author: str | None = None
    sitename: str | None = None


def page_metadata(tree: HtmlElement, url: str | None) -> Metadata:
    """The page's metadata; `tree` is read, not changed. The steps and their order are those of
    trafilatura.metadata.extract_metadata, so the fields come out the same."""
    found: Document = examine_meta(tree)
    if found.author and " " not in found.author and not _ONE_WORD_NAME_RE.search(found.author):
        found.author = None  # a single word is a handle or a site, not a name (but 李明 and 김민수 are names)
    try:
        found = extract_meta_json(tree, found)
    except Exception:  # noqa: BLE001 - trafilatura's JSON-LD reader fails on odd JSON; the rest still holds
        pass
    found.title = found.title or extract_title(tree)
    found.author = found.author or (extract_author(tree) if may_name_author(tree) else None)
    found.url = found.url or extract_url(tree, url)
    found.date = find_date(tree, url=found.url, original_date=True, extensive_search=True,
                           max_date=date.today().isoformat())
    found.sitename = found.sitename or extract_sitename(tree)
    if found.sitename and found.title and fold(found.sitename) == fold(found.title):
        found.sitename = None  # the headline: trafilatura takes a <title> part with a dot ("200.000 ton") for a domain
    if found.sitename:
        found.sitename = found.sitename.lstrip("@")
        if found.sitename and "." not in found.sitename and not found.sitename[0].isupper():
            found.sitename = found.sitename.title()
    elif site := _site_beside_headline(tree, found.title, found.url or url, found.author):
        found.sitename = site
    elif found.url and (match := META_URL.match(found.url)):
        found.sitename = match[1]
    found.clean_and_trim()
    found.title = _without_site_name(found.title, found.sitename)
    if found.author and found.sitename and found.author.casefold() == found.sitename.casefold():
        found.author = None  # the site named as the author ("新华社")
    return Metadata(title=found.title or None, date=found.date or None, author=found.author or None,
                    sitename=found.sitename or None)


def _without_site_name(title: str | None, sitename: str | None) -> str | None:
    """The headline without the site's name a CMS prints beside it in og:title ("Blaze contained - Eastside
    Herald", "Eastside Herald | Blaze contained")."""
    if not title or not sitename or sitename.strip().casefold() not in title.casefold():
        return title  # and no pattern to compile (0.4 ms)
    name = re.escape(sitename.strip())
    match = re.fullmatch(rf"(?:{name}{_SEPARATOR})?(.+?)(?:{_SEPARATOR}{name})?", title, re.IGNORECASE)
    headline = match[1].strip() if match else title
    return headline if len(headline) >= _MIN_HEADLINE_CHARS else title


def _site_beside_headline(tree: HtmlElement, headline: str | None, url: str | None,
                          author: str | None) -> str | None:
    """The site's name the page's <title> prints beside the headline, read before falling back to the
    domain when a word of it is in the domain: "BGR" on bgr.com, not "Politics" or the author's name
    ("Why I stopped driving – Jane Doe") on example.com."""
    title = tree.findtext(".//head/title")
    host = (urlsplit(url).hostname or "") if url else ""
    site = site_beside(title, headline) if title and headline and host else None
    if not site or (author and site.casefold() == author.casefold()):
        return None
    return site if any(len(word) >= 3 and word in host for word in re.findall(r"\w+", site.casefold())) else None


def may_name_author(tree: HtmlElement) -> bool:
    """Whether trafilatura's search for an author in the page's body can find one (1.5 ms a page)."""
    return _AUTHOR_ELEMENTS(tree) or _AUTHOR_WORDS.search("\n".join(_AUTHOR_ATTRIBUTES(tree))) is not None


def read_date(string: str) -> datetime | None:
    """The first date printed in `string`, as htmldate's last-resort parser returns it."""
    found = dates.find_date(string)
    return datetime.fromisoformat(found.iso) if found else None


# htmldate has no setting for its last-resort parser: it looks this name up on each call.
htmldate.extractors._external_date = read_date
