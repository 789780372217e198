"""Paragraphs a page broke in two mid-sentence ("… Khamis and Syrian" / "Foreign Minister …") are joined."""

from __future__ import annotations

from .blocks import Block
from .text import ends_sentence, is_prose, word_count

# A line this long that does not close like a sentence is a sentence cut short, not a subhead.
_MIN_BROKEN_WORDS = 10


def join_broken(blocks: list[Block]) -> list[str]:
    """The kept blocks' texts, a paragraph each, with paragraphs broken mid-sentence joined again."""
    out: list[str] = []
    previous: Block | None = None
    for block in blocks:
        if previous is not None and _is_broken(previous) and block.kind == "p" and is_prose(block.text) \
                and block.text[:1].isalnum():
            out[-1] = f"{out[-1]} {block.text}"
        else:
            out.append(block.text)
        previous = block
    return out


def _is_broken(block: Block) -> bool:
    # Headings and list items are whole as they are, whatever their punctuation.
    text = block.text
    return block.kind == "p" and word_count(text) >= _MIN_BROKEN_WORDS and not ends_sentence(text) \
        and text[-1:].isalnum()
