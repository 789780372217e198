"""The headline: found before the lead, moved to `title`, and every copy of it taken out of the body
(pages print it as the <title>, as the headline, and again above the lead)."""

from __future__ import annotations

import re

from ..blocks import Doc
from ..text import fold, is_headline, is_prose, word_count
from .base import rule

# "Headline | Site", "Headline - Site", "Headline :: Site": the <title> line of most pages.
_SITE_SUFFIX_RE = re.compile(r"^\s*(?:\||-|::|·|»|:)\s*(?P<site>.+)$")
# Look for the headline among the first blocks only: it is never deep in the page.
_HEAD_LIMIT = 80


@rule("title.headline")
def headline(doc: Doc) -> None:
    head = _head(doc)
    index = _repeated(doc, head)
    if index is None and doc.title is None:
        shaped = [i for i in head if is_headline(doc.blocks[i].text) and word_count(doc.blocks[i].text) >= 3]
        index = shaped[-1] if shaped else None  # the one nearest the lead
    if index is not None:
        doc.title_index = index
        doc.title = doc.title or doc.blocks[index].text
    if doc.title:
        _remove_copies(doc, doc.title)


def _head(doc: Doc) -> list[int]:
    """Indexes of kept blocks before the first paragraph of prose."""
    head = []
    for i in doc.kept_indexes()[:_HEAD_LIMIT]:
        if is_prose(doc.blocks[i].text):
            break
        head.append(i)
    return head


def _repeated(doc: Doc, head: list[int]) -> int | None:
    """A headline-shaped line printed again on the page, alone or as "Headline | Site"."""
    for i in head:
        text = doc.blocks[i].text
        if not is_headline(text):
            continue
        key = fold(text)
        for j, other in enumerate(doc.blocks[:_HEAD_LIMIT]):
            if j == i:
                continue
            other_key = fold(other.text)
            if other_key == key:
                return i
            if other_key.startswith(key) and _SITE_SUFFIX_RE.match(other.text[len(text):] or "x"):
                doc.sitename = doc.sitename or _SITE_SUFFIX_RE.match(other.text[len(text):])["site"].strip()
                return i
    return None


def _remove_copies(doc: Doc, title: str) -> None:
    key = fold(title)
    for block in doc.kept():
        other = fold(block.text)
        if other == key or (other.startswith(key) and _SITE_SUFFIX_RE.match(block.text[len(title):] or "x")):
            doc.remove(block, headline.rule_name)
