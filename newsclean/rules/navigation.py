"""Navigation: "Related"/"Read more" headings with their lists of headlines, menus and other runs of
short link-like lines, and short lines the page prints more than once (menus, teasers)."""

from __future__ import annotations

from collections import Counter

from ..blocks import Doc
from ..phrases import phrases
from ..text import ends_sentence
from .base import rule

# Runs of this many link-like lines in a row are a menu or a list of teasers.
_MIN_RUN = 3


def _link_like(block) -> bool:
    return block.words <= 15 and not ends_sentence(block.text)


@rule("navigation.related")
def related(doc: Doc) -> None:
    """A "Related articles" style heading and the headlines listed under it."""
    p = phrases()
    in_list = False
    for block in doc.kept():
        text = block.text
        if block.words <= 6 and (p.line_is("related", text) or p.line_starts("related", text, extra_words=2)):
            doc.remove(block, related.rule_name)
            in_list = True
        elif in_list and not block.prose:
            doc.remove(block, related.rule_name)
        else:
            in_list = False


@rule("navigation.link_list")
def link_list(doc: Doc) -> None:
    """Runs of short lines that do not close like sentences: menus, breadcrumbs, tag and teaser lists."""
    run: list = []
    for block in doc.kept() + [None]:
        if block is not None and block.kind not in ("h", "li") and _link_like(block):
            run.append(block)
            continue
        if len(run) >= _MIN_RUN:
            for b in run:
                doc.remove(b, link_list.rule_name)
        run = []


@rule("navigation.repeated")
def repeated(doc: Doc) -> None:
    """Short lines printed more than once on the page (menus at top and bottom, teasers)."""
    counts = Counter(b.key for b in doc.blocks if not b.prose)
    for block in doc.kept():
        if not block.prose and counts[block.key] > 1:
            doc.remove(block, repeated.rule_name)
