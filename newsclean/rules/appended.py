"""An unrelated story appended after the article (infinite scroll, "next article"): a new headline
after the article's prose, with its own header around it (the headline printed twice, its own
captions, chrome or date), cuts everything from there on."""

from __future__ import annotations

from ..blocks import Doc
from ..text import fold, is_headline, is_prose
from .base import family, rule

# Removals that make up a story's header: its captions, its widget chrome, its date line.
_HEADER_FAMILIES = {"caption", "chrome", "metadata", "title"}
# How far below a headline its header may reach before the story's first paragraph.
_HEADER_SPAN = 12
# The article must have begun: this many paragraphs of prose before a new story can start.
_MIN_PARAGRAPHS = 2


@rule("appended.story")
def story(doc: Doc) -> None:
    blocks = doc.blocks
    paragraphs = 0
    for i, block in enumerate(blocks):
        if block.kept and is_prose(block.text):
            paragraphs += 1
            continue
        if (paragraphs >= _MIN_PARAGRAPHS and is_headline(block.text) and not _removed_as(block, "caption")
                and _has_own_header(doc, i)):
            for later in blocks[i:]:
                doc.remove(later, story.rule_name, claim=True)
            return


def _removed_as(block, family_name: str) -> bool:
    return bool(block.removed_by) and family(block.removed_by) == family_name


def _has_own_header(doc: Doc, start: int) -> bool:
    """Between the headline and the next paragraph, a story's own header: the headline printed again
    with some header around it, or header lines of two kinds (a caption and a date, say). One kind
    alone is not enough: an in-article subhead may stand above a photo and its credit."""
    key = fold(doc.blocks[start].text)
    repeated = False
    kinds: list[str] = []
    for block in doc.blocks[start + 1:start + 1 + _HEADER_SPAN]:
        if block.kept and is_prose(block.text):
            break
        if fold(block.text) == key:
            repeated = True
        elif block.removed_by and family(block.removed_by) in _HEADER_FAMILIES:
            kinds.append(family(block.removed_by))
    else:
        return False  # no story follows
    return (repeated and len(kinds) >= 1) or len(set(kinds)) >= 2
