"""A page as a list of blocks: the unit every rule looks at, whichever path (HTML or raw text) made it."""

from __future__ import annotations

from dataclasses import dataclass, field

from .page import Removed
from .text import fold, is_flattened_menu, is_headline, is_prose, letters, word_count


class _once:
    """A property computed on first use and kept on the instance, so later reads are plain attribute
    reads. functools.cached_property does the same, but before Python 3.12 it takes a lock on every
    first use: a cost paid for every line a rule asks about. No lock is needed: two threads reading
    the same block at once would at worst compute the same value twice."""

    def __init__(self, func):
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __get__(self, block, owner=None):
        if block is None:
            return self
        value = block.__dict__[self.name] = self.func(block)
        return value


@dataclass
class Block:
    text: str
    #: 1-based line of the raw text it came from (for HTML, its order in the extracted text).
    line: int
    #: What the source said it is: "p" (paragraph or plain line), "h" (heading), "li" (list item),
    #: "caption" (figure caption), "quote", "cell" (table cell). The raw-text path only knows "p".
    kind: str = "p"
    removed_by: str | None = None
    #: HTML path: trafilatura took it from below the element holding the article (htmlblocks).
    below_article: bool = False
    #: HTML path: it stands only in the page's <noscript>, shown to browsers without JavaScript (htmlblocks).
    noscript: bool = False
    #: HTML path: which of trafilatura's elements it came from; the lines an element's <br>s part share one.
    element: int | None = None

    @property
    def kept(self) -> bool:
        return self.removed_by is None

    # The shape of the text, computed once: every rule asks.
    @_once
    def key(self) -> str:
        """The text folded for comparison: case, quotes and spacing aside."""
        return fold(self.text)

    @_once
    def letters(self) -> str:
        """The key's letters and digits alone, for copies printed apart (see text.letters)."""
        return letters(self.key)

    @_once
    def words(self) -> int:
        return word_count(self.text)

    @_once
    def prose(self) -> bool:
        return is_prose(self.text)

    @_once
    def menu(self) -> bool:
        """A menu's items run together on one line, long enough to pass for prose."""
        return is_flattened_menu(self.text)

    @_once
    def headline(self) -> bool:
        return is_headline(self.text)

    def set_text(self, text: str) -> None:
        self.text = text
        for name in _SHAPES:  # computed from the old text
            self.__dict__.pop(name, None)


#: The shape properties a Block computes once from its text.
_SHAPES = tuple(name for name, value in vars(Block).items() if isinstance(value, _once))


@dataclass
class Doc:
    """The blocks of one page and the metadata rules find in them."""

    url: str
    blocks: list[Block]
    source: str = "text"
    title: str | None = None
    date: str | None = None
    author: str | None = None
    sitename: str | None = None
    #: Where the title was found (block index), when a rule found it in the blocks.
    title_index: int | None = None
    #: The headline's block when the page names it in its <title> line: the article starts below it.
    headline_index: int | None = None
    #: First and last block index of the article's main run of prose, once the boundary rule ran.
    main_span: tuple[int, int] | None = None
    #: Where a second page appended to the page's own starts (block index), once the boundary rule ran.
    page_end: int | None = None
    #: (block index, ISO date) of every line that was only a date: publication date candidates.
    date_candidates: list[tuple[int, str]] = field(default_factory=list)
    #: (block index, ISO date) of every labelled date line ("Date: 4 September 2018"): they come first.
    labelled_dates: list[tuple[int, str]] = field(default_factory=list)
    #: Pieces cut out of blocks that otherwise stay (e.g. an inline shortcode).
    trims: list[Removed] = field(default_factory=list)

    # These run over every block, several times per page: `removed_by is None` rather than the
    # `kept` property, which costs a call per block.
    def kept(self) -> list[Block]:
        return [b for b in self.blocks if b.removed_by is None]

    def lines(self) -> list[Block]:
        """The kept blocks the line rules look at: all but table cells, whose figures, dates and
        repeats are what a table holds."""
        return [b for b in self.blocks if b.removed_by is None and b.kind != "cell"]

    def remove(self, block: Block, rule: str, claim: bool = False) -> None:
        """Mark a block removed. The first rule to remove a block is the one reported, unless a later
        rule claims it (the appended-story rule claims a whole story, captions and all)."""
        if block.removed_by is None or claim:
            block.removed_by = rule

    def trimmed(self, text: str, rule: str) -> None:
        """Record a piece a rule cut out of a block that stays."""
        self.trims.append(Removed(text, rule))

    def removed(self) -> list[Removed]:
        return [Removed(b.text, b.removed_by) for b in self.blocks if b.removed_by] + self.trims


def from_text(url: str, raw_text: str) -> Doc:
    """Split raw page text into blocks, one per non-blank line."""
    blocks = [Block(line.strip(), number)
              for number, line in enumerate(raw_text.splitlines(), start=1) if line.strip()]
    return Doc(url=url, blocks=blocks, source="text")
