"""Per-language phrase data (one JSON file per language beside this module) and how lines are matched to it.

Every rule that keys on words asks this module, so no rule carries English literals of its own.
All languages are matched at once: boilerplate phrases are distinctive enough across languages,
and a page's chrome is often in another language than its article.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

from ..text import fold

_NON_WORD_RE = re.compile(r"[\W\d_]+", re.UNICODE)

LIST_KEYS = ("comment", "related", "read_time", "copyright", "cookie", "newsletter", "share", "chrome",
             "photo", "byline", "date_labels", "source_labels", "author_labels", "weekdays", "comment_header",
             "agencies", "social")


@lru_cache(maxsize=1 << 14)  # every rule asks about the same lines, often many times each
def core(text: str) -> str:
    """A line reduced to its words: folded, digits and punctuation gone ("Comments (0)" -> "comments")."""
    return _NON_WORD_RE.sub(" ", fold(text)).strip()


class Phrases:
    """Every list's phrases, matched against a line's words. A line reduced to its words (`core`) is
    looked up word by word in an index of the phrases' first words, once for all lists, and what it
    holds is remembered (an LRU cache of a few pages' lines), since every rule asks about every line.
    A phrase matches whole words only: "reply" is not in "replying"."""

    def __init__(self, languages: dict[str, dict]):
        self.languages = sorted(languages)
        self._lists: dict[str, list[str]] = {key: [] for key in LIST_KEYS}
        self.months: dict[str, int] = {}
        for data in languages.values():
            for key in LIST_KEYS:
                self._lists[key].extend(core(p) for p in data.get(key, ()) if core(p))
            self.months.update({fold(k).rstrip("."): v for k, v in data.get("months", {}).items()})
        self._exact = {key: frozenset(v) for key, v in self._lists.items()}
        # First word -> (list, phrase, its words) of every phrase opening with it, longest first: where
        # phrases overlap, the longest one that fits is the one found.
        self._by_first: dict[str, list[tuple[str, str, list[str]]]] = {}
        for phrase, key in sorted({(p, key) for key, v in self._lists.items() for p in v},
                                  key=lambda entry: len(entry[0]), reverse=True):
            words = phrase.split()
            self._by_first.setdefault(words[0], []).append((key, phrase, words))
        self._found = lru_cache(maxsize=1 << 14)(self._find)

    def _find(self, line: str) -> tuple[int, dict[str, list[_Match]]]:
        """The number of words of a line's core, and per list the phrases found in it, in the order
        of the line (longest first where several start at the same word)."""
        words = line.split()
        found: dict[str, list[_Match]] = {}
        for start, word in enumerate(words):
            for key, phrase, phrase_words in self._by_first.get(word, ()):
                size = len(phrase_words)
                if size == 1 or words[start:start + size] == phrase_words:
                    found.setdefault(key, []).append(_Match(start, size, phrase))
        return len(words), found

    def _matches(self, key: str, text: str) -> tuple[int, list[_Match]]:
        size, found = self._found(core(text))
        return size, found.get(key, [])

    def words(self, key: str) -> list[str]:
        return self._lists[key]

    def line_is(self, key: str, text: str) -> bool:
        """The whole line is one of the phrases (counts and punctuation aside)."""
        return core(text) in self._exact[key]

    def line_starts(self, key: str, text: str, extra_words: int = 3) -> bool:
        """The line opens with a phrase and says little more (e.g. "Follow us on Twitter")."""
        size, matches = self._matches(key, text)
        return bool(matches) and matches[0].start == 0 and size - matches[0].size <= extra_words

    def line_ends(self, key: str, text: str) -> bool:
        """The line closes with a phrase ("Jane Doe says:" closes with "says")."""
        size, matches = self._matches(key, text)
        return any(m.start + m.size == size for m in matches)

    def line_opening(self, key: str, text: str) -> str | None:
        """The phrase a line opens with, if it opens with one and goes on."""
        size, matches = self._matches(key, text)
        if matches and matches[0].start == 0 and matches[0].size < size:
            return matches[0].phrase
        return None

    def count(self, key: str, text: str) -> int:
        """How many different phrases of a list stand in the line (read from its start: a phrase
        overlapping one found before it does not count)."""
        seen, end = set(), 0
        for m in self._matches(key, text)[1]:
            if m.start >= end:
                seen.add(m.phrase)
                end = m.start + m.size
        return len(seen)

    def contains(self, key: str, text: str, multiword: bool = False) -> bool:
        """A phrase stands somewhere in the line; `multiword` for long lines, where a single word
        ("einverstanden", "agreed") is as likely the article's own."""
        matches = self._matches(key, text)[1]
        return any(m.size > 1 for m in matches) if multiword else bool(matches)


class _Match(NamedTuple):
    start: int  # the line's word it starts at
    size: int  # in words
    phrase: str


@cache
def phrases() -> Phrases:
    """All languages' phrase data, loaded once per process."""
    files = [f for f in resources.files(__package__).iterdir() if f.name.endswith(".json")]
    return Phrases({f.name.removesuffix(".json"): json.loads(f.read_text(encoding="utf-8")) for f in files})
