"""The article's extent: the run of blocks richest in prose (as in body-text extraction by
maximum-sum segment); what stands before or after it is page furniture."""

from __future__ import annotations

from ..blocks import Doc
from ..text import is_prose, word_count
from .base import rule


def _score(text: str) -> int:
    """Prose counts for its words; any other line against, a little more than its words."""
    n = word_count(text)
    return n if is_prose(text) else -(n + 2)


@rule("boundary.main_run")
def main_run(doc: Doc) -> None:
    kept = doc.kept()
    best, best_span = 0, None
    running, start = 0, 0
    for i, block in enumerate(kept):
        if running <= 0:
            running, start = 0, i
        running += _score(block.text)
        if running > best:
            best, best_span = running, (start, i)
    first, last = best_span if best_span else (len(kept), len(kept))
    for i, block in enumerate(kept):
        if i < first or i > last:
            doc.remove(block, main_run.rule_name)
