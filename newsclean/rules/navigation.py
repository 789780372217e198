"""Navigation: "Related"/"Read more" headings with their lists of headlines, menus and other runs of
short link-like lines, and short lines the page prints more than once (menus, teasers)."""

from __future__ import annotations

import re
from collections import Counter

from ..blocks import Block, Doc
from ..phrases import phrases
from ..text import ends_sentence, is_headline
from .base import rule

# What the boundary removed as outside the article: these rules only say what it was.
_OUTSIDE = "boundary.main_run"
# Runs of this many link-like lines in a row are a menu or a list of teasers.
_MIN_RUN = 3
# "Read more: <headline>", "Lesen Sie auch | <headline>".
_TEASER_RE = re.compile(r"^\s*(?P<label>[^:|]{1,30}?)\s*[:|]\s*(?P<headline>\S.*)$")


def _link_like(block) -> bool:
    return block.words <= 15 and not ends_sentence(block.text)


@rule("navigation.related")
def related(doc: Doc) -> None:
    """A "Related articles" style heading and the headlines listed under it; a teaser standing alone
    among the paragraphs, the label and the headline on one line ("READ MORE: Bus fares to rise")."""
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
            if ":" in text or "|" in text:
                teaser = _TEASER_RE.match(text)
                if teaser and p.line_is("related", teaser["label"]) and is_headline(teaser["headline"]):
                    doc.remove(block, related.rule_name)  # "Read more: Bus fares to rise in January"


def link_runs(blocks: list[Block]) -> list[list[Block]]:
    """Runs of short lines that do not close like sentences (menus, breadcrumbs, tag and teaser
    lists), as the raw text shows them. Headings and list items the HTML marks are never links."""
    runs, run = [], []
    for block in [*blocks, None]:
        if block is not None and block.kind not in ("h", "li") and _link_like(block):
            run.append(block)
            continue
        if len(run) >= _MIN_RUN:
            runs.append(run)
        run = []
    return runs


@rule("navigation.link_list")
def link_list(doc: Doc) -> None:
    """Names the menus the boundary left outside the article: runs of link-like lines. (Inside the
    article's run such runs are its own lists, and stay.)"""
    visible = [b for b in doc.blocks if b.kept or b.removed_by == _OUTSIDE]
    for run in link_runs(visible):
        for block in run:
            if block.removed_by == _OUTSIDE:
                doc.remove(block, link_list.rule_name, claim=True)


@rule("navigation.repeated")
def repeated(doc: Doc) -> None:
    """Short lines printed more than once on the page (menus at top and bottom, teasers), outside
    the article: inside it, a repeated short line is a subhead ("Pros", "Cons")."""
    counts = Counter(b.key for b in doc.blocks if not b.prose)
    for block in doc.blocks:
        if block.removed_by == _OUTSIDE and not block.prose and counts[block.key] > 1:
            doc.remove(block, repeated.rule_name, claim=True)
