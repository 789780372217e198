"""The HTML path: trafilatura finds the article and its metadata, and its structure becomes the same
blocks the raw-text path makes, so the same rules then take out what trafilatura leaves in."""

from __future__ import annotations

import html_text
import trafilatura
from lxml import etree

from .blocks import Block, Doc, from_text

# trafilatura's output elements, and the block kind each becomes.
_KINDS = {"p": "p", "head": "h", "item": "li", "quote": "quote", "code": "p", "cell": "cell"}
# Containers whose children are the blocks.
_CONTAINERS = {"list", "table", "row", "div", "quote"}


def from_html(url: str, html: str) -> Doc | None:
    """The article trafilatura finds in the page as blocks, with its metadata; None when it finds none."""
    found = trafilatura.bare_extraction(
        html,
        url=url or None,
        include_comments=False,  # comments are never the article
        include_tables=True,
        include_images=False,
        with_metadata=True,
        deduplicate=False,  # its cache is process-wide: it drops real text once seen twice (trafilatura #778)
    )
    if found is None or found.body is None:
        return None
    blocks = list(_blocks(found.body))
    if not blocks:
        return None
    return Doc(url=url, blocks=blocks, source="html", title=found.title or None, date=found.date or None,
               author=found.author or None, sitename=found.sitename or None)


def page_text(html: str) -> str:
    """The page's visible text, a block per line (as a basic scraper gets it): the fallback input."""
    return html_text.extract_text(html, guess_layout=True)


def from_page_text(url: str, html: str) -> Doc:
    doc = from_text(url, page_text(html))
    doc.source = "html-text"
    return doc


def _blocks(body: etree._Element):
    line = 0
    for kind, raw in _pieces(body):
        # <lb/> is a line break inside a paragraph: each line is a block, as in raw text.
        for piece in raw.split("\n"):
            text = " ".join(piece.split())
            if text:
                line += 1
                yield Block(text, line, kind)


def _pieces(element: etree._Element):
    """(kind, text) of each block in document order. Text trafilatura leaves loose between blocks
    (the tail of a heading: "<head>…</head>Drinking coffee…") is a paragraph of its own."""
    if (element.text or "").strip():
        yield "p", element.text
    for child in element:
        if isinstance(child.tag, str):  # not a comment or processing instruction
            if child.tag in _CONTAINERS and _holds_only_blocks(child):
                yield from _pieces(child)
            else:
                yield _KINDS.get(child.tag, "p"), _text_with_breaks(child)
        if (child.tail or "").strip():
            yield "p", child.tail


def _holds_only_blocks(element: etree._Element) -> bool:
    """A container whose children are all blocks: its children are the blocks. A quote or cell of
    text with inline markup is one block itself."""
    return bool(len(element)) and not (element.text or "").strip() and all(
        isinstance(c.tag, str) and (c.tag in _KINDS or c.tag in _CONTAINERS) for c in element)


def _text_with_breaks(element: etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _text_with_breaks(child))
        parts.append(child.tail or "")
    return "".join(parts)
