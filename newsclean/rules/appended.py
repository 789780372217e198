"""An unrelated story appended after the article (infinite scroll, "next article"): a new headline
after the article's first paragraphs, with its own header around it (the headline printed twice, its
own captions, chrome or date), cuts everything from there to the end of the article's run.

A whole second page appended (its <title> line, menus and all) the boundary rule finds already, to
keep the article's run off it (see pages.py): this rule names all of it as the appended story."""

from __future__ import annotations

from ..blocks import Block, Doc
from .base import family, rule
from .pages import article_begun

# Removals that make up a story's header: its captions, its widget chrome, its date line, its byline.
_HEADER_FAMILIES = {"caption", "chrome", "metadata", "title"}
# A headline printed twice, with its header between the copies, looks like a caption printed twice.
_TWICE = "caption.repeated"
# How far below a headline its header may reach before the story's first paragraph.
_HEADER_SPAN = 12
# Kept lines (neither header nor prose) a story header may hold: a subhead, a kicker.
_HEADER_OTHER_LINES = 2
# A page with this many story headers in its article's run, the first before the article began, is a
# live blog's entries.
_MIN_ENTRIES = 3


@rule("appended.story")
def story(doc: Doc) -> None:
    if doc.page_end is not None:  # a second page, which the boundary rule kept out of the run
        for block in doc.blocks[doc.page_end:]:
            doc.remove(block, story.rule_name, claim=True)
    if doc.main_span is None:
        return
    first, last = doc.main_span
    paragraphs = words = 0
    headers: list[tuple[int, bool]] = []  # (block index, whether the article had begun above it)
    for i in range(first, last + 1):
        block = doc.blocks[i]
        if block.kept and block.prose:
            paragraphs += 1
            words += block.words
        elif (block.headline and (block.kept or _removed_as(block, "navigation") or block.removed_by == _TWICE)
              and _has_own_header(doc, i)):
            headers.append((i, article_begun(paragraphs, words)))  # another story can start only then
    # Entries under story headers from the top of the article's run on, a few of them, are the page's
    # own (a live blog), not stories appended to it.
    if len(headers) >= _MIN_ENTRIES and not headers[0][1]:
        return
    start = next((i for i, begun in headers if begun), None)
    if start is not None:
        for later in doc.blocks[start:last + 1]:
            doc.remove(later, story.rule_name, claim=True)


def _removed_as(block: Block, family_name: str) -> bool:
    return bool(block.removed_by) and family(block.removed_by) == family_name


def _has_own_header(doc: Doc, start: int) -> bool:
    """Between the headline and the next paragraph, a story's own header: the headline printed again
    with some header around it, or its own date or byline with another kind of header line (a
    caption, chrome). Captions and chrome alone are not enough: an in-article subhead may stand above
    a photo and its credit, or a share bar and a newsletter box."""
    key = doc.blocks[start].key
    repeated = False
    kinds: list[str] = []
    other_lines = 0
    for block in doc.blocks[start + 1:start + 1 + _HEADER_SPAN]:
        if block.kept and block.prose:
            break
        if block.key == key:
            repeated = True
        elif block.removed_by and family(block.removed_by) in _HEADER_FAMILIES:
            kinds.append(family(block.removed_by))
        elif block.kept:
            other_lines += 1
    else:
        return False  # no story follows
    # A header is made of header lines: a line listed among other kept lines is a table of contents
    # or a list of teasers, whose entries come again lower down.
    if other_lines > _HEADER_OTHER_LINES:
        return False
    return (repeated and len(kinds) >= 1) or ("metadata" in kinds and len(set(kinds)) >= 2)
