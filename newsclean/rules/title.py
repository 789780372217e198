"""The headline: moved to `title`, and every copy of it taken out of the body (pages print it in the
<title> line as "Headline | Site", as the headline, and again above the lead).

Two rules: `title.headline` runs before the boundary and finds a headline the page itself vouches for
(it heads the <title> line, or it is printed twice); the boundary then anchors the article below it.
`title.above_run` runs after the boundary, for pages that print their headline once: the headline-
shaped line just above the article's run.
"""

from __future__ import annotations

import re
from collections import Counter

from ..blocks import Block, Doc
from ..text import fold, word_count
from .base import family, rule

# "Headline | Site", "Headline - Site", "Headline :: Site": the <title> line of most pages. Not " : ",
# which French puts in headlines ("Budget : le vote reporté").
SITE_SEPARATORS = ("|", "-", "–", "—", "::", "·", "•", "»")
_SITE_SPLIT_RE = re.compile(r"\s+(?:" + "|".join(map(re.escape, SITE_SEPARATORS)) + r")\s+")
# The same in folded text (text.fold), where dashes are "-". Not "»": folded, it is '"', as every quote
# mark is, and a quotation may follow the headline ("Headline « pierre par pierre », a-t-il dit").
_FOLDED_SEPARATORS = sorted({fold(s) for s in SITE_SEPARATORS} - {'"'}, key=len, reverse=True)
_FOLDED_SITE_SPLIT_RE = re.compile(r"\s+(?:" + "|".join(map(re.escape, _FOLDED_SEPARATORS)) + r")\s+")
# A site's name in its <title> line is a few words.
_SITE_WORDS = 6
# Where a page's own "Headline | Site" line stands: at its very top.
_TITLE_LINE_REACH = 3
# A headline printed twice is printed near the top.
_HEAD_LIMIT = 120
# How far above the article a headline printed once may stand.
_NEAR = 6
# A line opening with the headline and adding this many words at most prints it again.
_COPY_TAIL = 4
# Lines other rules took that may still be the headline: menus and breadcrumbs repeat it, pages print
# it twice in a row like a caption, and everything above the article goes to the boundary rule.
_MAY_BE_HEADLINE = {None, "navigation.link_list", "navigation.repeated", "caption.repeated", "boundary.main_run"}


@rule("title.headline")
def headline(doc: Doc) -> None:
    """A headline the page vouches for: the head of its "Headline | Site" line, or printed twice."""
    if doc.title is None:
        found = _vouched(doc)
        if found is not None:
            index, strongly = found
            _take(doc, index)
            if strongly:
                doc.headline_index = index
    if doc.title:
        _remove_copies(doc, doc.title, headline.rule_name)


@rule("title.above_run")
def above_run(doc: Doc) -> None:
    """A headline printed once: the headline-shaped line nearest above the article's run."""
    if doc.title is not None or doc.main_span is None:
        return
    start = doc.main_span[0]
    near = [i for i in range(max(0, start - _NEAR), start) if _may_be_headline(doc.blocks[i])
            and (doc.blocks[i].removed_by is None or family(doc.blocks[i].removed_by) == "boundary")]
    if near:
        _take(doc, near[-1])
        _remove_copies(doc, doc.title, above_run.rule_name)


def _take(doc: Doc, index: int) -> None:
    doc.title_index = index
    doc.title = doc.blocks[index].text


def _may_be_headline(block: Block) -> bool:
    return block.headline and block.removed_by in _MAY_BE_HEADLINE


def _vouched(doc: Doc) -> tuple[int, bool] | None:
    """(index, strongly): the headline's block, and whether the page names it in its <title> line
    (strong enough to anchor the article below it) or only prints it twice."""
    head = range(min(len(doc.blocks), _HEAD_LIMIT))
    # The page's own <title> line opens the page (a later one belongs to a story appended below);
    # the headline it names may stand below hundreds of lines of menus.
    for headline_key, site in _title_lines(doc, range(min(len(doc.blocks), _TITLE_LINE_REACH))):
        titled = [i for i, b in enumerate(doc.blocks) if b.key == headline_key and _may_be_headline(b)]
        if titled:
            doc.sitename = doc.sitename or site
            return titled[0], True
    candidates = [i for i in head if _may_be_headline(doc.blocks[i])]
    if not candidates:
        return None
    # The page's first line is usually its <title>: the headline when the page prints it again.
    again = [i for i in candidates[1:] if doc.blocks[i].key == doc.blocks[0].key and doc.blocks[i].words >= 3]
    if again and candidates[0] == 0:
        return again[0], True
    # Printed twice above the article's first paragraphs (lower down, a line printed twice is a
    # caption); menus repeat too, but their items are short.
    counts = Counter(doc.blocks[i].key for i in head)
    lead = _first_paragraphs(doc)
    repeated = [i for i in candidates if i < lead and counts[doc.blocks[i].key] > 1 and doc.blocks[i].words >= 4]
    return (repeated[0], False) if repeated else None


def _first_paragraphs(doc: Doc) -> int:
    """Index of the first of two paragraphs of prose standing close together."""
    previous = None
    for i, block in enumerate(doc.blocks):
        if block.kept and block.prose:
            if previous is not None and i - previous <= 3:
                return previous
            previous = i
    return len(doc.blocks)


def _title_lines(doc: Doc, head: range) -> list[tuple[str, str]]:
    """(headline folded, site name) of the lines shaped "Headline | Site", in page order."""
    found = []
    for i in head:
        parts = _SITE_SPLIT_RE.split(doc.blocks[i].text)
        if len(parts) >= 2 and len(parts[-1].split()) <= _SITE_WORDS:
            # "Headline - Section - Site": the headline is the first part
            found.append((fold(parts[0]), parts[-1].strip()))
        elif len(parts) >= 2 and len(parts[0].split()) <= _SITE_WORDS:
            # "Site - Headline"
            found.append((fold(parts[-1]), parts[0].strip()))
        elif (colon := site_colon_headline(doc.blocks[i].text)) is not None:
            # The headline counts only when the page prints it again on a line of its own, as a
            # headline with a colon in it is not.
            site, rest = colon
            found.append((fold(rest), site))
    return found


def site_colon_headline(text: str) -> tuple[str, str] | None:
    """(site, headline) of a "Site: Headline" line (a blog's name before its post's): a colon after
    a few words."""
    site, colon, rest = text.partition(": ")
    return (site.strip(), rest) if colon and rest and len(site.split()) <= _SITE_WORDS else None


def site_beside(title_line: str, headline: str) -> str | None:
    """The site's name a "Headline | Site" or "Site - Headline" line prints beside `headline`."""
    parts = _SITE_SPLIT_RE.split(title_line.strip())
    if len(parts) >= 2:
        for part, site in ((parts[0], parts[-1]), (parts[-1], parts[0])):
            if fold(part) == fold(headline) and 0 < len(site.split()) <= _SITE_WORDS:
                return site.strip()
    return None


def is_title_line(text: str) -> bool:
    """Shaped "Headline | Site": a part of a few words (the site) beside the headline."""
    parts = _SITE_SPLIT_RE.split(text)
    return len(parts) >= 2 and min(len(parts[0].split()), len(parts[-1].split())) <= _SITE_WORDS


def extends_headline(key: str, headline_key: str) -> bool:
    """A line printing the headline with a few words added after it (its source, a comment count:
    "Headline (example.com) 87"). Not a longer name running on in words ("Headline Team"), nor shaped
    "Headline | Site" like the page's <title> line."""
    tail = key[len(headline_key):]
    return (key.startswith(headline_key) and tail[:1] == " " and not tail[1:2].isalpha()
            and word_count(tail) <= _COPY_TAIL and not _FOLDED_SITE_SPLIT_RE.match(tail))


def title_keys(text: str) -> set[str]:
    """What a <title> line may print again as the headline: the whole line, or any part of
    "Headline | Site" or "Site - Headline" long enough to be a headline."""
    parts = _SITE_SPLIT_RE.split(text)
    return {fold(text)} | {fold(part) for part in parts if len(part.split()) >= 3}


def _remove_copies(doc: Doc, title: str, rule_name: str) -> None:
    key = fold(title)
    for block in doc.blocks:
        if block.key == key or (block.key.startswith(key) and (_FOLDED_SITE_SPLIT_RE.match(block.key[len(key):])
                                                               or _SITE_SPLIT_RE.match(block.text[len(title):]))):
            doc.remove(block, rule_name, claim=block.removed_by in _MAY_BE_HEADLINE)
