"""How far the prose after a point drifts from what the article said before it: the cosine of their
word vectors, each word weighed by how rare it is on the page (tf-idf over the page's paragraphs).

A page's common words (function words, in any language, and the site's own stock phrases) stand in
most of its paragraphs and weigh next to nothing; a story's own words stand in its paragraphs only.
So no word list is needed: the page's own word frequencies say which words are common."""

from __future__ import annotations

import math
import re
from collections import Counter

from ..blocks import Block
from ..text import CLOSE_SCRIPTS, MARKS

# Words of three letters or more: shorter ones are mostly function words and inflections.
_WORD_RE = re.compile(rf"(?:[^\W\d_]|[{MARKS}]){{3,}}")
# Scripts written without spaces (Chinese, Japanese, Thai): a run of them is a phrase, not a word, so
# they are read as pairs of characters, which stand for words well enough to compare texts; Korean
# too, whose words carry their particles ("서울시는", "서울시가": both hold "서울").
_NO_SPACES_RE = re.compile(f"[{CLOSE_SCRIPTS}]+")
# The headline names the subject: its words count as much as a few paragraphs' mentions.
_TITLE_WEIGHT = 3


def _words(text: str) -> list[str]:
    if text.isascii():
        return [w.casefold() for w in _WORD_RE.findall(text)]
    words = [w.casefold() for w in _WORD_RE.findall(_NO_SPACES_RE.sub(" ", text))]
    for run in _NO_SPACES_RE.findall(text):
        words += [run[i:i + 2] for i in range(len(run) - 1)]
    return words


class Drift:
    """The article's words so far (headline and paragraphs, added in page order with `add`), to
    weigh the prose that follows against (`similarity`)."""

    def __init__(self, paragraphs: list[Block], title: str | None) -> None:
        self._words = {id(block): _words(block.text) for block in paragraphs}
        frequency = Counter(word for words in self._words.values() for word in set(words))
        count = len(paragraphs) or 1
        self._rare = math.log(count + 1)  # a word seen in no paragraph (only in the headline)
        self._idf = {word: math.log(count / n) for word, n in frequency.items()}
        self._before: Counter = Counter()
        self._square = 0.0  # the squared norm of the weighted `_before`, kept as words come
        for _ in range(_TITLE_WEIGHT):
            self._add(_words(title or ""))

    def _weight(self, word: str) -> float:
        return self._idf.get(word, self._rare)

    def _add(self, words: list[str]) -> None:
        for word in words:
            n = self._before[word]
            self._before[word] = n + 1
            self._square += (2 * n + 1) * self._weight(word) ** 2

    def add(self, block: Block) -> None:
        """A paragraph of the article, read."""
        self._add(self._words.get(id(block)) or _words(block.text))

    def similarity(self, blocks: list[Block]) -> float:
        """Cosine between these paragraphs and the article so far (0: no weighty word in common)."""
        after = Counter(word for block in blocks for word in (self._words.get(id(block)) or _words(block.text)))
        dot = square = 0.0
        for word, n in after.items():
            weight = self._weight(word) ** 2
            square += n * n * weight
            dot += n * self._before.get(word, 0) * weight
        return dot / math.sqrt(square * self._square) if square and self._square else 0.0
