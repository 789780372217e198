"""Where trafilatura's blocks stand in the page, and the article paragraphs it left out.

trafilatura takes the first element that looks like the article's body. Where a page prints its
article in several sibling chunks (a grid cell per few paragraphs, a section per list entry) it keeps
the first chunk and drops the rest. Finding its blocks in the page says which element holds them;
paragraphs in that element, or in chunks of the same kind beside it, that it did not keep are
recovered when they are a large part of the article (a few missing lines are what it pruned on
purpose: captions, prompts, share bars). What it took from below that element (teasers, related
stories, a footer) goes."""

from __future__ import annotations

import re
from bisect import bisect_right

from lxml import etree

from .blocks import Block
from .text import is_prose

# Elements whose text is never the article's.
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "button", "select", "option", "textarea"})
# Sections of a page that are not the article wherever they stand.
_NOT_ARTICLE = frozenset({"nav", "aside", "footer", "form", "figure", "figcaption", "header"})
# Class or id of a page section that is no article: trafilatura drops these on purpose. Not "shared"
# or "subscriber" (paywalled sites hold the article in "subscriber-content").
_NOT_ARTICLE_NAME = re.compile(
    r"comment|respond|reply|related|share(?!d)|social|newsletter|subscri(?!ber)|signup|promo|sidebar|footer|"
    r"nav|menu|breadcrumb|caption|advert|sponsor|recommend|popular|teaser|cookie", re.IGNORECASE)
# The paragraphs recovered, and the block kind each becomes.
_PARAGRAPHS = {"p": "p", "h2": "h", "h3": "h", "h4": "h", "h5": "h", "h6": "h", "li": "li",
               "blockquote": "quote", "pre": "p"}
# How many characters of a block find it in the page (enough to tell lines apart, short of where
# trafilatura's own spacing may differ from the page's).
_KEY_CHARS = 40
# The element holding this share of trafilatura's text holds its article.
_HOLD_SHARE = 0.8
# How many levels above that element chunks of the same kind are looked for.
_CHUNK_LEVELS = 3
# When the element (or its chunks) holds nothing missed, how many levels above it to look:
# trafilatura took an intro or a lead and missed the list below it.
_CLIMB = 2
# Recover only when what trafilatura missed is at least this share of what it kept, and this many words.
_MISSING_SHARE = 0.5
_MISSING_WORDS = 100
# A recovered list item has at least this many words; any paragraph at most this share in links.
_ITEM_WORDS = 8
_LINK_SHARE = 0.5
_NOSCRIPT = etree.XPath("//noscript")
# Elements whose text never shows.
_HIDDEN = frozenset({"script", "style", "noscript", "template"})


def _compact(text: str) -> str:
    return "".join(text.split())


class PageText:
    """The page's text without white space, and which element each character is in."""

    def __init__(self, tree: etree._Element):
        starts: list[int] = []
        owners: list[etree._Element] = []
        pieces: list[str] = []
        size = 0
        for owner, text in _shown_text(tree):
            piece = _compact(text)
            if piece:
                starts.append(size)
                owners.append(owner)
                pieces.append(piece)
                size += len(piece)
        self.text = "".join(pieces)
        self._starts, self._owners = starts, owners

    def find(self, text: str, start: int = 0) -> tuple[int, etree._Element | None]:
        """(end offset, element) where `text` starts, searching from `start` first, then from the top."""
        key = _compact(text)[:_KEY_CHARS]
        if not key:
            return start, None
        at = self.text.find(key, start)
        if at < 0:
            at = self.text.find(key)
            if at < 0:
                return start, None
        return at + len(key), self._owners[bisect_right(self._starts, at) - 1]


def _shown_text(tree: etree._Element):
    """(element, text) of every text of the page in order, but inside elements whose text never shows.
    One walk: an XPath test of each text's ancestors costs as much again per level of nesting."""
    walk = etree.iterwalk(tree, events=("start", "end"))
    for event, element in walk:
        if event == "start":
            if element.tag in _HIDDEN:
                walk.skip_subtree()
            elif element.text and isinstance(element.tag, str):  # not a comment's text
                yield element, element.text
        elif element.tail and element is not tree:
            yield element.getparent(), element.tail  # a tail is text of the element around the one it follows


def holder(elements: list[tuple[etree._Element, int]]) -> etree._Element | None:
    """The deepest element holding `_HOLD_SHARE` of the (element, weight) pairs' weight."""
    weights: dict[etree._Element, int] = {}
    total = 0
    for element, weight in elements:
        total += weight
        for node in element.iterancestors():
            weights[node] = weights.get(node, 0) + weight
        weights[element] = weights.get(element, 0) + weight
    if not total:
        return None
    need = _HOLD_SHARE * total
    node = next((e for e in weights if weights[e] >= need and e.getparent() is None), None)
    while node is not None:
        child = next((c for c in node if weights.get(c, 0) >= need), None)
        if child is None:
            return node
        node = child
    return None


def _signature(element: etree._Element) -> tuple:
    return element.tag, element.get("class")


def chunks_around(element: etree._Element) -> etree._Element:
    """The element, or the one above it that holds it among chunks of the same kind."""
    node = element
    for _ in range(_CHUNK_LEVELS):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        sign = _signature(node)
        if sign[1] and sum(1 for sibling in parent if _signature(sibling) == sign) > 1:
            return parent
        node = parent
    return element


def _text(element: etree._Element) -> str:
    """The element's text, a line per <br>."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and child.tag not in _SKIP:
                if child.tag == "br":
                    parts.append("\n")
                else:
                    walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return "".join(parts)


def _link_words(element: etree._Element) -> int:
    return sum(len(" ".join(a.itertext()).split()) for a in element.iter("a"))


def _no_article(element: etree._Element) -> bool:
    """A page section that is not the article: by its tag, or by what its class or id say."""
    if element.tag in _NOT_ARTICLE:
        return True
    name = f"{element.get('class', '')} {element.get('id', '')}"
    return bool(name.strip()) and _NOT_ARTICLE_NAME.search(name) is not None


def _led_by_link(element: etree._Element) -> bool:
    """A line that opens with a link of a few words: another page's title, then its teaser."""
    if (element.text or "").strip():
        return False
    first = next((child for child in element if isinstance(child.tag, str)), None)
    while first is not None and first.tag != "a" and not (first.text or "").strip() and len(first):
        first = first[0]
    return first is not None and first.tag == "a" and len(" ".join(first.itertext()).split()) >= 3


def paragraphs(area: etree._Element, kept: str, known: dict) -> list[tuple[etree._Element, str, str]]:
    """(element, kind, text) of the paragraphs in `area` that look like an article's and are not in
    `kept` (compacted text), in page order. `known` holds what an earlier call found of an element,
    wherever it stands: None when it is kept or no article's paragraph, else its (kind, text)."""
    found = []
    for element in area.iter(*_PARAGRAPHS):
        if element in known:
            paragraph = known[element]
        else:
            paragraph = known[element] = _paragraph(element, kept)
        if paragraph is None:
            continue
        if _no_article(element) or any(a.tag in _PARAGRAPHS or a.tag == "a" or a.tag in _SKIP or _no_article(a)
                                       for a in _ancestors(element, area)):
            continue  # inside a paragraph taken already, a link (a teaser), hidden, or a section no article
        found.append((element, *paragraph))
    return found


def _paragraph(element: etree._Element, kept: str) -> tuple[str, str] | None:
    """(kind, text) of an element that is not in `kept` and reads like an article's paragraph."""
    if _compact("".join(element.itertext()))[:_KEY_CHARS] in kept:
        return None  # trafilatura has it (checked first: most are kept, and it is cheap)
    text, kind = _text(element), _PARAGRAPHS[element.tag]
    words = len(text.split())
    # a teaser's blurb, a label, a button's caption is no sentence
    if kind in ("p", "quote") and not is_prose(text) or kind == "li" and words < _ITEM_WORDS:
        return None
    if _link_words(element) > _LINK_SHARE * words or _led_by_link(element):
        return None
    return kind, text


def _ancestors(element: etree._Element, top: etree._Element):
    for node in element.iterancestors():
        if node is top:
            return
        yield node


def recover(tree: etree._Element, blocks: list[Block]) -> list[Block]:
    """`blocks` (trafilatura's, in order) with the article paragraphs it missed put in their place
    (the blocks numbered again in their new order), and those it took from after the article's
    container marked `below_article`."""
    page = PageText(tree)
    located, offsets, at = [], [], 0
    for block in blocks:
        at, element = page.find(block.text, at)
        located.append(element)
        offsets.append(at)
    _mark_noscript(tree, blocks, located)
    hold = holder([(e, len(b.text)) for b, e in zip(blocks, located) if e is not None])
    if hold is None:
        return blocks
    area, missing = _missing(hold, blocks)
    _mark_below(area, blocks, located, offsets)
    if not missing:
        return blocks
    order = {element: i for i, element in enumerate(tree.iter())}
    placed, position = [], -1
    for block, element in zip(blocks, located):
        if element is not None:
            position = order.get(element, position)
        placed.append((position, 0, block))
    for number, (element, kind, text) in enumerate(missing, start=1):
        for line in text.split("\n"):
            if line.strip():  # numbered apart from trafilatura's elements: its lines are joined only with each other
                block = Block(" ".join(line.split()), 0, kind, element=-number)
                placed.append((order.get(element, position), 1, block))
    placed.sort(key=lambda p: (p[0], p[1]))
    blocks = [block for _, _, block in placed]
    for number, block in enumerate(blocks, start=1):
        block.line = number
    return blocks


def _mark_below(area: etree._Element, blocks: list, located: list, offsets: list) -> None:
    """Mark the blocks found after the last block inside `area`: what trafilatura took from below the
    article's container (teasers, related stories, a footer). The rule boundary.below_article removes
    them, so they are reported (and the rule can be switched off) like any other line."""
    inside = [i for i, e in enumerate(located) if e is not None and _within(e, area)]
    if not inside:
        return
    end = offsets[inside[-1]]
    for block, element, offset in zip(blocks, located, offsets):
        if element is not None and offset > end and not _within(element, area):
            block.below_article = True


def _mark_noscript(tree: etree._Element, blocks: list, located: list) -> None:
    """Mark the blocks found nowhere in the page's shown text but in its <noscript>: what a browser
    without JavaScript shows ("Please enable JavaScript to read this article"), where the article is
    rendered by a script. The rule chrome.noscript removes them."""
    if any(element is None for element in located):
        hidden = _compact(" ".join(node.text_content() for node in _NOSCRIPT(tree)))
        if hidden:
            for block, element in zip(blocks, located):
                if element is None and _compact(block.text) in hidden:
                    block.noscript = True


def _within(element: etree._Element, area: etree._Element) -> bool:
    return element is area or area in element.iterancestors()


def _missing(hold: etree._Element, blocks: list) -> tuple[etree._Element, list[tuple[etree._Element, str, str]]]:
    """The article's container around `hold`, and the paragraphs trafilatura missed there when they are a
    large part of the article."""
    kept = _compact(" ".join(b.text for b in blocks))
    kept_words = sum(len(b.text.split()) for b in blocks)
    known: dict = {}
    chunks = chunks_around(hold)
    for area in [chunks, *list(hold.iterancestors())[:_CLIMB]]:
        if area.tag in ("body", "html"):
            break
        missing = paragraphs(area, kept, known)
        # headings alone are a list of links to other pages, not an article
        missing_words = sum(len(text.split()) for _, kind, text in missing if kind != "h")
        if missing_words >= max(_MISSING_WORDS, _MISSING_SHARE * kept_words):
            return area, missing
    return chunks, []

