"""Where a second page starts in the text: another story appended whole, page chrome and all (an
infinite-scroll page carries the next article after the first one's footer).

A page's text opens with its <title> line, and the page prints that headline again above its article
after a header of menus and breadcrumbs. So a headline-shaped line inside the article's run that the
text prints again soon after, with a story under the second copy, may be the next page's <title>
line. Tables of contents, menus and captions print lines twice too: the page break needs the marks of
a page's edge as well, a footer just above (a copyright line), header chrome between the two copies
(skip links, menus, search), or the line shaped as a <title> ("Headline | Site") above the bare
headline. Without the headline printed again, a copyright footer followed by a <title> line, a
page header and a story is the edge of a page too.

Pages that print neither are told by the stretch from a paragraph to the next run of prose (a
header's line or two of prose, a motto or a promotion, belong to the stretch; so do a copyright notice
and a <title> line long enough to read as prose): the marks of a page's edge in it (a footer with a
header below it, a headline printed again, a <title> line, header chrome, a menu printed twice, a date
line or byline) weighed together with how far the story below drifts from the article's words
(topic.py). Below the article's known headline the page's own header is behind, and its chrome and
a page's opening weigh more there. In-article subheads and sections ("Separately, ...") stand
between prose on the same subject, with few such marks. The next page starts below the first page's
footer, at the next <title> line, or else below the article's last lines.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter

from ..blocks import Block, Doc
from ..dates import names_year
from ..phrases import phrases
from ..text import ends_sentence, letters, line_cache, word_count
from .chrome import names_copyright
from .title import is_title_line, site_colon_headline, title_keys
from .topic import Drift

# The article must have begun before another page can start.
_MIN_PARAGRAPHS = 2
_MIN_WORDS = 60
# How far below its <title> line a page prints its headline again (menus can run to hundreds of lines).
_HEADER_REACH = 400
# Lines of prose a page's header may hold (a search hint, a cookie notice, a teaser).
_HEADER_PROSE = 2
# The story under the headline printed again: paragraphs of prose within so many lines of it (a
# menu item printed again in the footer has none).
_STORY_PARAGRAPHS = 2
_STORY_REACH = 10
# Below a footer without a headline printed twice, a story runs longer than a form's or a dialog's text.
_STORY_WORDS = 100
# A headline the <title> line opens with is this long at least (shorter, it may be a section name).
_HEADS_WORDS = 4
# What the line rules may have taken a page's <title> line or headline for.
_MAY_BE_TITLE = {None, "navigation.related", "caption.repeated"}
# Distinct header chrome lines (skip links, menu, search) that mark a page's header.
_HEADER_CHROME = 2
# A line of page chrome is a few words long.
_CHROME_WORDS = 4
# How far above the next page's <title> line the first page's footer may stand.
_FOOTER_REACH = 15


# The stretch between two runs of prose: what each mark of a page's edge found in it weighs, and what
# they must weigh with the topic's drift for the page break. A footer is a page's edge when a header's
# worth of lines follows it, and more so above a full header of menus when it names a year, as a page's
# copyright line does ("© 2025 Site") and a photo's credit ("© Agency") does not.
_EDGE_FOOTER = 3
_FOOTER_HEADER_LINES = 5
_EDGE_FOOTER_FULL = 1
_FOOTER_FULL_HEADER_LINES = 10
_EDGE_RETITLED = 2
_EDGE_TITLE_LINE = 1
_EDGE_CHROME = 1
_EDGE_DATELINE = 1
_EDGE_MENU_TWICE = 1
# Below the article's headline (named by the page's <title> line) the page's own header is behind:
# header chrome there (and more of it: many distinct lines, a footer's links and the next header's),
# and a page's opening (a <title> line printed again, or the headline it names), are the next page's
# and weigh one mark more each. Above the headline, or on a page whose headline is not known, they
# may be the page's own header: on dev pages they then cut articles under a header of teasers.
_EDGE_BELOW_HEADLINE = 1
_MANY_CHROME = 5
_EDGE_CUT = 6
# The story below is weighed by its first words against the article's so far: short of close, one
# more mark (a story on the same topic, from the same site, shares a good part of the words: so may a
# later section, but on dev pages no in-article stretch weighed more than 3 marks), and two when next
# to nothing is shared (another subject; said only once the article has said enough in sentences,
# not of a banner or a menu run into long lines); close to them, the same article going on (a
# section, a list item), two marks fewer. (similarity below, marks) in order.
_DRIFT_WORDS = 250
_DRIFT_MARKS = ((0.12, 2), (0.35, 1), (float("inf"), -2))
_DRIFT_MOST = max(marks for _, marks in _DRIFT_MARKS)
_DRIFT_SAID = 150
_DRIFT_UNSAID_MOST = 1  # the most marks the drift adds before the article said _DRIFT_SAID words
# What the line rules may have taken a headline printed again for (menus print it too).
_MAY_BE_RETITLED = _MAY_BE_TITLE | {"navigation.link_list", "navigation.repeated", "title.headline"}
_DATELINE_RULES = {"metadata.date_line", "metadata.byline", "metadata.labelled"}
# A run of prose: paragraphs within so many lines of each other, holding so many words.
_RUN_GAP = 3
_RUN_WORDS = 50
# A menu printed twice: so many lines of so many words at most, each standing twice.
_MENU_WORDS = 4
_MENU_TWICE_LINES = 3
# How far below the stretch a headline in it may be printed again (the story's own headline).
_RETITLE_BELOW = 3


def article_begun(paragraphs: int, words: int) -> bool:
    """So many paragraphs of prose, of so many words, are an article begun: another page or story may
    follow them, where before them it is the page's header (a teaser, a promotion)."""
    return paragraphs >= _MIN_PARAGRAPHS and words >= _MIN_WORDS


def second_page(doc: Doc, first: int) -> int | None:
    """Index of the block where a second page starts below the article's first block, if any: the
    first break either way finds."""
    found = [i for i in (_second_page_by_title(doc, first), _second_page_by_edge(doc, first)) if i is not None]
    return min(found, default=None)


def _second_page_by_title(doc: Doc, first: int) -> int | None:
    paragraphs = words = 0
    own = title_keys(doc.title) if doc.title else set()
    # Where headline-shaped lines stand last, by the line and by its first two words: most lines are
    # never printed again below, and need no search for their copy.
    titles = [i for i in range(first, len(doc.blocks)) if _may_be_title(doc.blocks[i])]
    last = {doc.blocks[i].key: i for i in titles}
    last_opening = {_opening(doc.blocks[i].key): i for i in titles}
    prose = [i for i in range(first, len(doc.blocks)) if _is_prose(doc.blocks[i])]
    for i in range(first, len(doc.blocks)):
        block = doc.blocks[i]
        if article_begun(paragraphs, words):
            if (_may_be_title(block) and block.key not in own and _printed_below(block, i, last, last_opening)
                    and _opens_page(doc, i, titles, prose)):
                return i
            if _is_footer(block):
                start = _page_after_footer(doc, i)
                if start is not None:
                    return start
        if block.kept and block.prose:
            paragraphs += 1
            words += block.words
    return None


def _printed_below(block: Block, index: int, last: dict[str, int], last_opening: dict[str, int]) -> bool:
    """A headline-shaped line below `index` may be a copy _opens_page looks for (a quick test): one of
    the line's <title> parts, or a line opening as it does (a headline the line runs on past)."""
    return (any(last.get(key, -1) > index for key in title_keys(block.text))
            or last_opening.get(_opening(block.key), -1) > index)


def _opening(key: str) -> str:
    return " ".join(key.split()[:2])


def _opens_page(doc: Doc, index: int, titles: list[int], prose: list[int]) -> bool:
    """The headline-shaped line at `index` is a page's <title> line: the page prints the headline
    again within its header (before a third paragraph of prose), with a story under it and the marks
    of a page's edge. `titles` and `prose` are the indexes of the headline-shaped lines and of the
    paragraphs from the article's start on: only those need a look."""
    block = doc.blocks[index]
    keys = {letters(key) for key in title_keys(block.text)}
    after = bisect_right(prose, index) + _HEADER_PROSE  # the header ends at that paragraph
    end = min(len(doc.blocks) - 1, index + _HEADER_REACH, prose[after] if after < len(prose) else len(doc.blocks))
    for k in titles[bisect_right(titles, index):]:
        if k > end:
            break
        later = doc.blocks[k]
        copy = later.letters in keys
        if copy or _heads(later, block):
            # The <title> line carries the site's name beside the headline the page prints.
            titled = copy and later.key != block.key and is_title_line(block.text)
            return _story_under(doc, k) and (
                titled or _footer_above(doc, index) or _header_between(doc, index, k))
    return False


def holds_article(doc: Doc, first: int, last: int) -> bool:
    """The run holds an article's first paragraphs, not a line or two of a page's chrome."""
    prose = [b for b in doc.blocks[first:last + 1] if _is_prose(b)]
    return article_begun(len(prose), sum(b.words for b in prose))


def _may_be_title(block: Block) -> bool:
    """Headline-shaped, and not a caption, a credit or chrome (which pages print twice too): a line
    in a list of links still may be (the footer's links run into the next page's header)."""
    return block.removed_by in _MAY_BE_TITLE and block.headline


def _page_after_footer(doc: Doc, index: int) -> int | None:
    """The next page's <title> line ("Headline | Site") a few lines below a footer, when a header
    (skip links, menu, search) and then a story follow it."""
    for j in range(index + 1, min(len(doc.blocks), index + 1 + _FOOTER_REACH)):
        block = doc.blocks[j]
        if _is_prose(block):
            return None
        if block.removed_by in _MAY_BE_TITLE and is_title_line(block.text):
            story = next((k for k in range(j + 1, len(doc.blocks)) if _is_prose(doc.blocks[k])), None)
            if story is not None and _header_between(doc, j, story) and _story_under(doc, story - 1, _STORY_WORDS):
                return j
            return None
    return None


def _heads(headline: Block, title: Block) -> bool:
    """The <title> line opens with the headline and goes on ("Headline [2025]: More words"), compared
    by letters and digits."""
    return headline.words >= _HEADS_WORDS and title.letters.startswith(headline.letters)


def _story_under(doc: Doc, index: int, words: int = 0) -> bool:
    below = [b for b in doc.blocks[index + 1:index + 1 + _STORY_REACH] if _is_prose(b)]
    return len(below) >= _STORY_PARAGRAPHS and sum(b.words for b in below) >= words


def _footer_above(doc: Doc, index: int) -> bool:
    return any(_is_footer(b) for b in doc.blocks[max(0, index - _FOOTER_REACH):index])


def _is_footer(block: Block) -> bool:
    return _is_footer_text(block.text)


@line_cache
def _is_footer_text(text: str) -> bool:
    """A page footer's copyright line: the sign, a copyright phrase, or a line opening with one that
    names a year ("Copyright Jane Doe 2012-2025"). Asked of a line many times: cached by its text."""
    return names_copyright(text, word_count(text)) or (
        phrases().line_opening("copyright", text) is not None and names_year(text))


def _header_between(doc: Doc, index: int, k: int) -> bool:
    """Lines of a page's header between the two copies: skip links, menu and search buttons. One
    such line may be an article's own ("Advertisement")."""
    return _chrome_count(doc, index, k) >= _HEADER_CHROME


def _chrome_count(doc: Doc, index: int, k: int) -> int:
    """How many distinct lines of page chrome stand between blocks `index` and `k`."""
    return len({b.key for b in doc.blocks[index + 1:k] if _is_chrome(b)})


def _is_chrome(block: Block) -> bool:
    """A short line of page chrome: a skip link, a menu or search button, a footer's link."""
    return block.words <= _CHROME_WORDS and phrases().line_is("chrome", block.text)


def _is_page_title(block: Block) -> bool:
    """Shaped as a page's <title> line ("Headline | Site")."""
    return block.headline and is_title_line(block.text)


def _is_prose(block: Block) -> bool:
    return block.prose and not block.menu and block.removed_by is None


def _second_page_by_edge(doc: Doc, first: int) -> int | None:
    """The first stretch from a paragraph to the next run of prose, once the article has said a few
    sentences, whose marks of a page's edge and the drift of the story below it from the article
    weigh enough."""
    blocks = doc.blocks
    prose = [i for i in range(first, len(blocks)) if _is_body(blocks[i])]
    runs = _run_starts(blocks, prose)
    drift, read = None, 0
    said = 0  # words of the article's paragraphs that end as sentences
    for k in range(len(prose) - 1):
        above, next_run = prose[k], runs[k + 1]
        said += blocks[above].words if ends_sentence(blocks[above].text) else 0
        if next_run is None:
            break
        below = prose[next_run]
        if below - above < 2 or not article_begun(k + 1, said):
            continue
        story = _story_from(blocks, prose, next_run)
        if sum(b.words for b in story) < _STORY_WORDS:
            continue
        marks, start = _edge_marks(doc, above, below, said_enough=said >= _DRIFT_SAID)
        if marks + _DRIFT_MOST < _EDGE_CUT:
            continue
        if drift is None:
            drift = Drift([blocks[i] for i in prose], doc.title)
        while read <= k:
            drift.add(blocks[prose[read]])
            read += 1
        similarity = drift.similarity(story)
        weight = next(weight for below_it, weight in _DRIFT_MARKS if similarity < below_it)
        marks += min(weight, _DRIFT_UNSAID_MOST) if said < _DRIFT_SAID else weight
        if marks >= _EDGE_CUT:
            return start
    return None


def _run_starts(blocks: list[Block], prose: list[int]) -> list[int | None]:
    """For each k, the first j >= k where a run of prose starts at prose[j]: paragraphs close to one
    another holding _RUN_WORDS words at least. A line or two of short prose (a promotion, a site's
    motto, a headline printed as a sentence) in a page's header starts none."""
    out: list[int | None] = [None] * len(prose)
    nxt, run = None, 0
    for j in range(len(prose) - 1, -1, -1):
        close = j + 1 < len(prose) and prose[j + 1] - prose[j] <= _RUN_GAP
        run = blocks[prose[j]].words + (run if close else 0)
        if run >= _RUN_WORDS:
            nxt = j
        out[j] = nxt
    return out


def _is_body(block: Block) -> bool:
    """Prose of a story's body: not a footer's copyright notice, nor a page's <title> line, which
    are long enough to pass for prose but stand at a page's edge."""
    return _is_prose(block) and not _is_footer(block) and not _is_page_title(block)


def _story_from(blocks: list[Block], prose: list[int], k: int) -> list[Block]:
    """The first paragraphs from prose[k] on, up to about _DRIFT_WORDS words."""
    story, words = [], 0
    for i in prose[k:]:
        story.append(blocks[i])
        words += blocks[i].words
        if words >= _DRIFT_WORDS:
            break
    return story


def _edge_marks(doc: Doc, above: int, below: int, said_enough: bool) -> tuple[int, int]:
    """(weight, start): the marks of a page's edge between the paragraphs at `above` and `below`, and
    where the next page starts (below the footer, at the <title> line, or else below the article's
    last lines). A menu printed twice is a page's header, the first page's own too (with teasers or
    notices above it): it counts once the article has `said_enough`, printed below a footer or a <title>
    line, or, without either, in a stretch below the article's known headline."""
    blocks = doc.blocks
    gap = range(above + 1, below)
    feet = [i for i in gap if _is_footer(blocks[i])]
    header = below - feet[-1] - 1 if feet else 0
    titles = [i for i in gap if _is_page_title(blocks[i])]
    marks = _EDGE_FOOTER if header >= _FOOTER_HEADER_LINES else 0
    marks += _EDGE_FOOTER_FULL if header >= _FOOTER_FULL_HEADER_LINES and names_year(blocks[feet[-1]].text) else 0
    marks += _EDGE_TITLE_LINE if titles else 0
    below_headline = doc.headline_index is not None and doc.headline_index < above
    more = _EDGE_BELOW_HEADLINE if below_headline else 0
    chrome = _chrome_count(doc, above, below)
    if chrome >= _HEADER_CHROME:
        marks += _EDGE_CHROME + more + (more if chrome >= _MANY_CHROME else 0)
    marks += _EDGE_DATELINE if any(blocks[i].removed_by in _DATELINE_RULES for i in gap) else 0
    edge = max(feet[-1:] + titles[-1:], default=None)
    if said_enough and (edge is not None or below_headline):
        top = above if edge is None else edge
        marks += _EDGE_MENU_TWICE if _menu_twice(blocks, range(top + 1, below)) else 0
    # The costliest mark last, and only where it can still make the cut.
    if marks + _EDGE_RETITLED + more + _DRIFT_MOST >= _EDGE_CUT:
        retitled, opening = _retitled(blocks, above, below, look_for_opening=below_headline)
        marks += (_EDGE_RETITLED if retitled else 0) + (more if opening else 0)
    return marks, (feet[-1] + 1 if feet else titles[0] if titles else _article_end(blocks, above, gap) + 1)


def _article_end(blocks: list[Block], above: int, gap: range) -> int:
    """The article's last line at the top of the stretch: the last paragraph reached from the one at
    `above` in steps of _RUN_GAP lines at most (a paragraph too short to start a run of prose, or
    one under a promotion, stays with the article), short of the next page's header (chrome, menus)."""
    end = above
    for i in gap:
        block = blocks[i]
        if i - end > _RUN_GAP or block.menu or _is_chrome(block):
            break
        if _is_prose(block):
            end = i
    return end


def _menu_twice(blocks: list[Block], gap: range) -> bool:
    """A page's menu printed twice in the stretch (for wide and narrow screens): several short lines
    that each stand in it twice or more."""
    counts = Counter(blocks[i].key for i in gap if blocks[i].words <= _MENU_WORDS and not blocks[i].prose)
    return sum(n >= 2 for n in counts.values()) >= _MENU_TWICE_LINES


def _retitled(blocks: list[Block], above: int, below: int, look_for_opening: bool) -> tuple[bool, bool]:
    """(retitled, opened): a headline in the stretch printed again further down it (or just below
    it), whole, as a part of a "Headline | Site" or "Site: Headline" line, or as the start of a longer
    <title> line; and (only when asked to `look_for_opening`) whether such a first copy is a
    <title> line, printed again or naming the headline printed below it, as a page opens. Copies are
    compared by their letters and digits alone (a page may space or mark up one copy apart)."""
    end = min(len(blocks), below + _RETITLE_BELOW)
    last = {blocks[j].letters: j for j in range(above + 1, end)}
    retitled = False
    for i in range(above + 1, below):
        block = blocks[i]
        if not (block.headline and block.removed_by in _MAY_BE_RETITLED):
            continue
        own = block.letters
        if not own:
            continue
        parts = {letters(key) for key in title_keys(block.text) | _after_colon(block.key)} - {own}
        title_line = is_title_line(block.text)
        if (any(last.get(key, i) > i for key in parts) or last[own] > i
                or (title_line and any(_heads(blocks[j], block) for j in range(i + 1, end)))):
            if title_line or not look_for_opening:
                return True, title_line
            retitled = True
    return retitled, False


def _after_colon(key: str) -> set[str]:
    """The headline of a "Site: Headline" line, when it is headline-long."""
    colon = site_colon_headline(key)
    return {colon[1]} if colon and len(colon[1].split()) >= _HEADS_WORDS else set()
