"""The headline: found above the article, moved to `title`, and every copy of it taken out of the body
(pages print it in the <title> line as "Headline | Site", as the headline, and again above the lead)."""

from __future__ import annotations

import re
from collections import Counter

from ..blocks import Block, Doc
from ..text import fold
from .base import family, rule

# "Headline | Site", "Headline - Site", "Headline :: Site": the <title> line of most pages.
_SITE_SPLIT_RE = re.compile(r"\s+(?:\||-|–|—|::|·|»)\s+(?=[^|–—»·]*$)")
# The headline is never deep in the page.
_HEAD_LIMIT = 120
# How far above the article a lone (unrepeated) headline may stand.
_NEAR = 6
# Lines other rules took that may still be the headline: menus and breadcrumbs repeat it, pages print
# it twice in a row like a caption, and everything above the article went to the boundary rule.
_MAY_BE_HEADLINE = {None, "navigation.link_list", "navigation.repeated", "caption.repeated", "boundary.main_run"}


@rule("title.headline")
def headline(doc: Doc) -> None:
    if doc.title is None:
        found = _find(doc)
        if found is not None:
            doc.title_index = found
            doc.title = doc.blocks[found].text
    if doc.title:
        _remove_copies(doc, doc.title)


def _find(doc: Doc) -> int | None:
    start = doc.main_span[0] if doc.main_span else len(doc.blocks)
    head = range(min(start, _HEAD_LIMIT))
    candidates = [i for i in head if doc.blocks[i].headline and doc.blocks[i].removed_by in _MAY_BE_HEADLINE]
    if not candidates:
        return None
    sites = _title_lines(doc, head)
    counts = Counter(doc.blocks[i].key for i in head)
    titled = [i for i in candidates if doc.blocks[i].key in sites]
    if titled:
        best = max(titled, key=lambda i: (doc.blocks[i].words, i))
        doc.sitename = doc.sitename or sites[doc.blocks[best].key]
        return best
    repeated = [i for i in candidates if counts[doc.blocks[i].key] > 1 and doc.blocks[i].words >= 4]
    if repeated:
        return repeated[-1]  # the copy nearest the article
    near = [i for i in candidates if i >= start - _NEAR and _only_boundary(doc.blocks[i])]
    return near[-1] if near else None


def _only_boundary(block: Block) -> bool:
    return block.removed_by is None or family(block.removed_by) == "boundary"


def _title_lines(doc: Doc, head: range) -> dict[str, str]:
    """Headline (folded) -> site name, from lines shaped "Headline | Site"."""
    sites = {}
    for i in head:
        parts = _SITE_SPLIT_RE.split(doc.blocks[i].text)
        if len(parts) == 2 and len(parts[1].split()) <= 6:
            sites.setdefault(fold(parts[0]), parts[1].strip())
    return sites


def _remove_copies(doc: Doc, title: str) -> None:
    key = fold(title)
    for block in doc.blocks:
        if block.key == key or (block.key.startswith(key) and _SITE_SPLIT_RE.match(block.text[len(title):])):
            doc.remove(block, headline.rule_name, claim=block.removed_by in _MAY_BE_HEADLINE)
