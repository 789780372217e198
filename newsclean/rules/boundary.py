"""The article's extent: the run of blocks richest in prose (body-text extraction by maximum-sum
segment). Prose counts for its words; lines rules removed, and other short lines, count against, so
a stretch of navigation between two runs of prose keeps them apart. What stands outside the run is
page furniture."""

from __future__ import annotations

from ..blocks import Block, Doc
from .base import rule

# A removed block is evidence of page furniture, but one long caption must not split an article.
_REMOVED_CAP = 30


def _score(block: Block) -> int:
    if not block.kept:
        return -(min(block.words, _REMOVED_CAP) + 2)
    if block.prose:
        return block.words
    return -(block.words // 2 + 1)


@rule("boundary.main_run")
def main_run(doc: Doc) -> None:
    best, span = 0, None
    running, start = 0, 0
    for i, block in enumerate(doc.blocks):
        if running <= 0:
            running, start = 0, i
        running += _score(block)
        if running > best:
            best, span = running, (start, i)
    doc.main_span = span
    first, last = span if span else (len(doc.blocks), -1)
    for i, block in enumerate(doc.blocks):
        if block.kept and not first <= i <= last:
            doc.remove(block, main_run.rule_name)
