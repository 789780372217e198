"""The article's extent: the run of blocks richest in prose (body-text extraction by maximum-sum
segment). Prose counts for its words; lines rules removed, and other short lines, count against, so
a stretch of navigation between two runs of prose keeps them apart. What stands outside the run is
page furniture.

Where the headline is known, the article starts below it: the best run starting shortly under the
headline wins over a richer run elsewhere (a long footer notice, a comment thread) unless that one is
far richer."""

from __future__ import annotations

from ..blocks import Block, Doc
from ..text import ends_statement
from .base import rule
from .navigation import link_runs
from .pages import holds_article, second_page
from .title import extends_headline

# A removed block is evidence of page furniture, but one long caption must not split an article.
_REMOVED_CAP = 30
# How far below the headline the article's run may start (share bars, bylines, teasers in between).
_ANCHOR_REACH = 40
# Every this many lines without prose in a row, each further line weighs once more against.
_GAP_STEP = 16
# On the HTML path, a line this short before or after the article's text is a label.
_LABEL_WORDS = 4
# Without a headline, the first run this rich (against the richest) is the article.
_FIRST_SHARE = 0.5
# The run under the headline wins unless another is this many times richer.
_ANCHOR_SHARE = 0.1


def _score(block: Block, in_menu: bool) -> int:
    if not block.kept:
        return -(min(block.words, _REMOVED_CAP) + 2)
    if block.prose and not block.menu:
        return block.words
    if in_menu or block.menu:  # a run of link-like lines weighs like lines a rule removed
        return -(block.words + 2)
    return -(block.words // 2 + 1)


def _stretch(scores: list[int]) -> list[int]:
    """Weigh each line against by how long the stretch without prose has gone on: a subhead or a
    short list inside an article costs little, a page's worth of menus between two articles a lot."""
    out, gap = [], 0
    for score in scores:
        gap = gap + 1 if score < 0 else 0
        out.append(score * (1 + gap // _GAP_STEP) if score < 0 else score)
    return out


def _best_run(scores: list[int], starts: range) -> tuple[int, int, int]:
    """(score, first, last) of the best run that starts in `starts`: a run's best end, per start."""
    best = (0, 0, -1)
    for start in starts:
        if scores[start] <= 0:
            continue
        total = 0
        for end in range(start, len(scores)):
            total += scores[end]
            if total > best[0]:
                best = (total, start, end)
    return best


def _runs(scores: list[int]) -> list[tuple[int, int, int]]:
    """(score, first, last) of each stretch's best run, in page order: Kadane's algorithm, keeping
    the best run of every stretch between two points where the running sum falls to nothing."""
    runs, best, running, start = [], (0, 0, -1), 0, 0
    for i, score in enumerate(scores):
        if running <= 0:
            if best[0] > 0:
                runs.append(best)
            best, running, start = (0, 0, -1), 0, i
        running += score
        if running > best[0]:
            best = (running, start, i)
    if best[0] > 0:
        runs.append(best)
    return runs


def _best_anywhere(scores: list[int]) -> tuple[int, int, int]:
    """The first run nearly as rich as the richest: an article comes before what is appended to it
    (the next story, comments) even when that is longer."""
    runs = _runs(scores)
    if not runs:
        return (0, 0, -1)
    richest = max(run[0] for run in runs)
    return next(run for run in runs if run[0] >= _FIRST_SHARE * richest)


def _trim_html(doc: Doc) -> None:
    """trafilatura chose the article from the whole DOM, and weighing its lines again only loses
    text: just trim the labels standing before its first line of text (kickers) and after its last
    (tags, prompts). A paragraph closed like a sentence is text however short ("He was 54.")."""
    text = [i for i, b in enumerate(doc.blocks)
            if b.kept and (b.words > _LABEL_WORDS or b.kind == "li" or b.kind == "p" and ends_statement(b.text))]
    if not text:
        doc.main_span = None
        return
    _keep_only(doc, text[0], text[-1])


def _line_scores(doc: Doc) -> list[int]:
    kept = doc.kept()
    # A run of short lines a kept line introduces ("Key points:", "You will need:") is the article's list.
    introduced = {id(after) for before, after in zip(kept, kept[1:]) if before.text.rstrip().endswith((":", "："))}
    in_menu = {id(b) for run in link_runs(kept) if id(run[0]) not in introduced for b in run}
    return _stretch([_score(b, id(b) in in_menu) for b in doc.blocks])


def _keep_only(doc: Doc, first: int, last: int) -> None:
    """The article is blocks first..last (none when last < first): what stands outside goes."""
    doc.main_span = (first, last) if first <= last else None
    for i, block in enumerate(doc.blocks):
        if block.kept and not first <= i <= last:
            doc.remove(block, main_run.rule_name)


def _article_run(scores: list[int], anchors: list[int]) -> tuple[int, int, int]:
    """The best run under the headline; under the copy of it with the richest run when the page
    prints it more than once (menus and breadcrumbs print it too)."""
    best = _best_anywhere(scores)
    runs = [_best_run(scores, range(a + 1, min(len(scores), a + 1 + _ANCHOR_REACH))) for a in anchors]
    anchored = max(runs, default=(0, 0, -1), key=lambda run: run[0])
    if anchors and anchored[0] >= _ANCHOR_SHARE * best[0]:
        best = anchored
    return best


def _headline_copies(doc: Doc) -> list[int]:
    """The headline and every line printing it again, alone or with a few words after it: the
    article's own copy may carry its source or comment count while the one printed alone stands in a list
    further down."""
    if doc.headline_index is None:
        return []
    key = doc.blocks[doc.headline_index].key
    return [i for i, block in enumerate(doc.blocks) if block.key == key or extends_headline(block.key, key)]


def _search_from(doc: Doc, first: int) -> int:
    """Where to look for a second page from: the headline (the run chosen may be the second page's,
    under a copy of the headline in the first page's footer list), or without one the top."""
    return 0 if doc.headline_index is None else min(first, doc.headline_index)


@rule("boundary.below_article")
def below_article(doc: Doc) -> None:
    """HTML path: the blocks trafilatura took from below the element holding the article (teasers,
    related stories, a footer), as newsclean.htmlblocks found them in the page."""
    for block in doc.blocks:
        if block.below_article:
            doc.remove(block, below_article.rule_name)


@rule("boundary.main_run")
def main_run(doc: Doc) -> None:
    if doc.source == "html":
        _trim_html(doc)
        return
    scores = _line_scores(doc)
    anchors = _headline_copies(doc)
    score, first, last = _article_run(scores, anchors)
    # A second page appended below is another story: the article is in the text before it.
    # The first page's article may be the shorter one: look for the page break from the headline,
    # or the top.
    doc.page_end = second_page(doc, _search_from(doc, first)) if score > 0 else None
    while doc.page_end is not None and doc.page_end <= last:
        on_first = _article_run(scores[:doc.page_end], [a for a in anchors if a < doc.page_end])
        if on_first[0] > 0 and holds_article(doc, on_first[1], on_first[2]):
            _, first, last = on_first
            break
        # The text above is chrome, not a page of its own: the article starts below it, and another
        # page may follow it.
        doc.page_end = second_page(doc, doc.page_end)
    _keep_only(doc, first, last)


@rule("boundary.main_run")
def trim_run(doc: Doc) -> None:
    """The article's run again, once later rules removed lines inside it (an appended story, a comment
    thread, captions printed twice): it still starts at its first line of prose (the headline the run
    was anchored under is gone), and ends where the best run from there ends, so that a line left
    standing just above a story that was cut goes too. Run over the kept lines only."""
    if doc.source == "html":
        _trim_html(doc)
        return
    scores = _line_scores(doc)
    start = next((i for i, score in enumerate(scores) if score > 0), None)
    if start is None:  # no prose left to weigh: nothing to trim by
        return
    _, first, last = _best_run(scores, range(start, start + 1))
    _keep_only(doc, first, last)
