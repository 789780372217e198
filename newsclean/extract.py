"""The HTML path: trafilatura finds the article and its metadata, and its structure becomes the same
blocks the raw-text path makes, so the same rules then take out what trafilatura leaves in."""

from __future__ import annotations

import html_text
import trafilatura
from lxml import etree
from lxml.html import (FormElement, HtmlComment, HtmlElement, HtmlEntity, HTMLParser, HtmlProcessingInstruction,
                       InputElement, LabelElement, SelectElement, TextareaElement, document_fromstring)
from trafilatura.utils import HTML_PARSER, load_html

from .blocks import Block, Doc, from_text
from .decode import drop_unreadable_references
from .htmlblocks import recover
from .htmlmeta import page_metadata

# trafilatura's output elements, and the block kind each becomes.
_KINDS = {"p": "p", "head": "h", "item": "li", "quote": "quote", "code": "p", "cell": "cell"}
# Elements that start a block of their own wherever they stand; others (hi, ref, lb...) are inline.
_BLOCK_TAGS = set(_KINDS) | {"list", "table", "row", "div"}
# <code> is a block of code among blocks, but inline code inside a paragraph, item or heading.
_CODE_PARENTS = {"body", "div", "list", "table", "row", "quote"}


# libxml2 stops reading a page nested deeper than 256 elements (a page that never closes its <font>s), and
# everything after that point is lost. Such a page is read again allowing 2048, the most libxml2 reads,
# and its wrappers below _MAX_DEPTH are unwrapped, their text kept in place; then anything still below
# _MAX_ANY_DEPTH but paragraphs and headings (lists or tables nested hundreds deep): trafilatura, html_text
# and our own block reader recurse once or more per level, and would run out of stack.
_MAX_DEPTH = 200
_MAX_ANY_DEPTH = 250
_DEEP_PARSER = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                          remove_pis=True, huge_tree=True)
# Elements kept down to _MAX_ANY_DEPTH: what trafilatura reads as blocks.
_STRUCTURE = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table",
                        "tr", "td", "th", "blockquote", "pre", "figure", "figcaption", "br", "hr", "img"})
# Blocks that cannot nest in their own kind (the parser closes a <p> at the next): kept at any depth.
_UNNESTED = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "br", "hr", "img"})
_UNWRAP = "newsclean-unwrap"  # the mark of an element to unwrap, all at once

# The classes lxml.html gives a page's elements (HtmlElement, FormElement for <form>...), looked up in C:
# lxml.html's own lookup is a Python method called each time Python touches an element (about 4,000
# times a page between trafilatura, the metadata and newsclean: 2 ms). Set on trafilatura's parser too,
# which reads every page (`load_html`): its elements are of the same classes as before.
_CLASS_LOOKUP = etree.ElementNamespaceClassLookup(etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))
_CLASS_LOOKUP.get_namespace(None).update({"form": FormElement, "input": InputElement, "label": LabelElement,
                                          "select": SelectElement, "textarea": TextareaElement})
HTML_PARSER.set_element_class_lookup(_CLASS_LOOKUP)
_DEEP_PARSER.set_element_class_lookup(_CLASS_LOOKUP)


def parse_html(html: str) -> HtmlElement | None:
    """The page as trafilatura reads it (`load_html`), but whole however deep it nests."""
    html = drop_unreadable_references(html)
    tree = load_html(html)
    if not any(error.type_name == "ERR_RESOURCE_LIMIT" and "depth" in error.message
               for error in HTML_PARSER.error_log):
        return tree
    try:
        tree = document_fromstring(html, parser=_DEEP_PARSER)
    except (ValueError, etree.ParserError):
        return tree
    _unwrap_below(tree, _MAX_DEPTH, keep=_STRUCTURE)
    _unwrap_below(tree, _MAX_ANY_DEPTH, keep=_UNNESTED)
    return tree


def _unwrap_below(tree: HtmlElement, limit: int, keep: frozenset[str] = frozenset()) -> None:
    """Unwrap the elements nested deeper than `limit` but those in `keep`, their text and children kept
    in place. Marked in one walk and stripped in one call: unwrapping one by one copies the growing text
    around them again each time."""
    depth, marked = 0, False
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        if event == "end":
            depth -= 1
            continue
        depth += 1
        if depth > limit and isinstance(element.tag, str) and element.tag not in keep:
            element.tag = _UNWRAP
            marked = True
    if marked:
        etree.strip_tags(tree, _UNWRAP)


def from_html(url: str, html: str) -> Doc | None:
    """The article trafilatura finds in the page as blocks, with its metadata; None when it finds none."""
    # Parsed once: trafilatura works on a copy, the metadata reads it after.
    tree = parse_html(html)
    if tree is None:
        return None
    _adopt_strays(tree)
    found = trafilatura.bare_extraction(
        tree,
        url=url or None,
        include_comments=False,  # comments are never the article
        # Recall: our rules take out what it lets in. It also skips the readability comparison once it
        # has a long text (html F1 wcxb 0.9338 -> 0.9351, scrapinghub 0.9627 -> 0.9623).
        favor_recall=True,
        include_tables=True,
        include_images=False,
        with_metadata=False,  # page_metadata finds what we use, for less
        deduplicate=False,  # its cache is process-wide: it drops real text once seen twice (trafilatura #778)
    )
    if found is None or found.body is None:
        return None
    blocks = list(_blocks(found.body))
    if not blocks:
        return None
    blocks = recover(tree, blocks)
    meta = page_metadata(tree, url or None)
    return Doc(url=url, blocks=blocks, source="html", title=meta.title, date=meta.date, author=meta.author,
               sitename=meta.sitename)


def _adopt_strays(tree: etree._Element) -> None:
    """Put what the page has after its </html> at the end of its body, as browsers show it: the parser
    leaves it in a second root beside the document's, where trafilatura never looks (some sites print
    the whole article there)."""
    strays = [node for node in tree.itersiblings() if isinstance(node.tag, str)]
    if not strays:
        return
    body = tree.find("body")
    if body is None:
        body = etree.SubElement(tree, "body")
    for stray in strays:
        part = stray.find("body") if stray.tag == "html" else None
        part = stray if part is None else part
        if part.tag in ("html", "body"):
            part.tag = "div"  # one document has one html and one body
        body.append(part)  # moves it, with its text and tail


def page_text(html: str) -> str:
    """The page's visible text, a block per line (as a basic scraper gets it): the fallback input."""
    tree = parse_html(html)
    if tree is None:
        return html_text.extract_text(drop_unreadable_references(html), guess_layout=True)
    # What a browser shows: not what it shows only without JavaScript.
    etree.strip_elements(tree, "noscript", with_tail=False)
    return html_text.extract_text(tree, guess_layout=True)


def from_page_text(url: str, html: str) -> Doc:
    doc = from_text(url, page_text(html))
    doc.source = "html-text"
    return doc


def _blocks(body: etree._Element):
    line = 0
    for element, (kind, raw) in enumerate(_pieces(body)):
        # <lb/> is a line break inside a paragraph: each line is a block, as in raw text.
        for piece in raw.split("\n"):
            text = " ".join(piece.split())
            if text:
                line += 1
                yield Block(text, line, kind, element=element)


def _pieces(element: etree._Element, kind: str = "p"):
    """(kind, text) of each block in document order. A block element nested in another splits it:
    the text around it is a block of the outer element's kind ("<item>March 16<head>FABCON</head>
    <p>Atlanta</p></item>" is three blocks, not "March 16FABCONAtlanta"), and text trafilatura leaves
    loose between blocks (the tail of a heading: "<head>…</head>Drinking coffee…") is a paragraph."""
    run: list[str] = []
    for piece in _run_pieces(element):
        if isinstance(piece, str):
            run.append(piece)
            continue
        if "".join(run).strip():
            yield kind, "".join(run)
        run = []
        # a paragraph inside a list item or cell is part of it
        inner = kind if piece.tag == "p" and kind != "p" else _KINDS.get(piece.tag, "p")
        yield from _pieces(piece, inner)
    if "".join(run).strip():
        yield kind, "".join(run)


def _run_pieces(element: etree._Element):
    """The element's content in order: strings of inline text ("\n" for a line break) and its
    block-level descendants, which _pieces splits at."""
    yield element.text or ""
    for child in element:
        if isinstance(child.tag, str):  # not a comment or processing instruction
            if child.tag in _BLOCK_TAGS and (child.tag != "code" or element.tag in _CODE_PARENTS):
                yield child
            elif child.tag == "lb":
                yield "\n"
            else:
                yield from _run_pieces(child)
        yield child.tail or ""
