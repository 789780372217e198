"""Per-language phrase data (one JSON file per language beside this module) and how lines are matched to it.

Every rule that keys on words asks this module, so no rule carries English literals of its own.
All languages are matched at once: boilerplate phrases are distinctive enough across languages,
and a page's chrome is often in another language than its article.
"""

from __future__ import annotations

import json
import re
from collections.abc import KeysView
from functools import cache
from importlib import resources
from typing import NamedTuple

from ..text import MARKS, fold, line_cache

_NON_WORD_RE = re.compile(rf"(?:[^\w{MARKS}]|[\d_])+")  # a vowel sign is part of its word (see text.MARKS)
# The same for ASCII text (most lines), as a byte table: every byte but a letter becomes a space.
_ASCII_NON_LETTERS = bytes(byte if chr(byte).isascii() and chr(byte).isalpha() else 32 for byte in range(256))

LIST_KEYS = ("comment", "related", "read_time", "copyright", "cookie", "newsletter", "share", "chrome",
             "photo", "byline", "date_labels", "source_labels", "author_labels", "weekdays", "comment_header",
             "agencies", "social")


@line_cache
def core(text: str) -> str:
    """A line reduced to its words: folded, digits and punctuation gone ("Comments (0)" -> "comments")."""
    folded = fold(text)
    if folded.isascii():  # a byte table does what the regex does, several times faster
        return " ".join(folded.encode("ascii").translate(_ASCII_NON_LETTERS).decode("ascii").split())
    return _NON_WORD_RE.sub(" ", folded).strip()


class Phrases:
    """Every list's phrases, matched against a line's words. A line reduced to its words (`core`) is
    looked up word by word in an index of the phrases' first words (first two, for longer phrases),
    once for all lists, and what it holds is remembered (`line_cache`), since
    every rule asks about every line.
    A phrase matches whole words only: "reply" is not in "replying"."""

    def __init__(self, languages: dict[str, dict]):
        self._lists: dict[str, list[str]] = {key: [] for key in LIST_KEYS}
        self.months: dict[str, int] = {}
        #: Words no sentence ends with ("of", "the"), in every language: a line ending in one goes on.
        self.dangling: frozenset[str] = frozenset(word for data in languages.values()
                                                  for word in data.get("dangling", ()))
        for data in languages.values():
            for key in LIST_KEYS:
                self._lists[key].extend(core(p) for p in data.get(key, ()) if core(p))
            self.months.update({fold(k).rstrip("."): v for k, v in data.get("months", {}).items()})
        self._exact = {key: frozenset(v) for key, v in self._lists.items()}
        # Where phrases overlap, the longest one that fits is the one found: a multi-word phrase is
        # tried before the one word it opens with, and longer ones before shorter.
        entries = sorted({(p, key) for key, v in self._lists.items() for p in v},
                         key=lambda entry: len(entry[0]), reverse=True)
        #: word -> the lists holding it as a phrase of one word.
        self._single: dict[str, list[str]] = {}
        #: (first word, second word) -> (list, phrase, its words) of the longer phrases opening so.
        self._multi: dict[tuple[str, str], list[tuple[str, str, list[str]]]] = {}
        for phrase, key in entries:
            words = phrase.split()
            if len(words) == 1:
                self._single.setdefault(phrase, []).append(key)
            else:
                self._multi.setdefault((words[0], words[1]), []).append((key, phrase, words))
        self._first_words = frozenset(self._single) | {first for first, _ in self._multi}
        self._found = line_cache(self._find)

    def _find(self, text: str) -> tuple[int, dict[str, list[_Match]]]:
        """The number of words of a line's core, and per list the phrases found in it, in the order
        of the line (longest first where several start at the same word)."""
        words = core(text).split()
        found: dict[str, list[_Match]] = {}
        if self._first_words.isdisjoint(words):  # half the lines: one look in C, no loop over the words
            return len(words), found
        # Few of a line's words open a phrase: only those are looked at.
        for start in [i for i, word in enumerate(words) if word in self._first_words]:
            for key, phrase, phrase_words in self._multi.get(tuple(words[start:start + 2]), ()):
                if words[start:start + len(phrase_words)] == phrase_words:
                    found.setdefault(key, []).append(_Match(start, len(phrase_words), phrase))
            for key in self._single.get(words[start], ()):
                found.setdefault(key, []).append(_Match(start, 1, words[start]))
        return len(words), found

    def words(self, key: str) -> list[str]:
        return self._lists[key]

    def lists_in(self, text: str) -> KeysView[str]:
        """The lists with a phrase in the line: one look that rules most lines out of a rule's checks."""
        return self._found(text)[1].keys()

    def line_is(self, key: str, text: str) -> bool:
        """The whole line is one of the phrases (counts and punctuation aside)."""
        return core(text) in self._exact[key]

    def line_starts(self, key: str, text: str, extra_words: int = 3) -> bool:
        """The line opens with a phrase and says little more (e.g. "Follow us on Twitter")."""
        size, found = self._found(text)
        matches = found.get(key)
        return bool(matches) and matches[0].start == 0 and size - matches[0].size <= extra_words

    def line_ends(self, key: str, text: str) -> bool:
        """The line closes with a phrase ("Jane Doe says:" closes with "says")."""
        size, found = self._found(text)
        return any(m.start + m.size == size for m in found.get(key, ()))

    def line_opening(self, key: str, text: str) -> str | None:
        """The phrase a line opens with, if it opens with one and goes on."""
        size, found = self._found(text)
        matches = found.get(key)
        if matches and matches[0].start == 0 and matches[0].size < size:
            return matches[0].phrase
        return None

    def count(self, key: str, text: str) -> int:
        """How many different phrases of a list stand in the line (read from its start: a phrase
        overlapping one found before it does not count)."""
        seen, end = set(), 0
        for m in self._found(text)[1].get(key, ()):
            if m.start >= end:
                seen.add(m.phrase)
                end = m.start + m.size
        return len(seen)

    def contains(self, key: str, text: str, multiword: bool = False) -> bool:
        """A phrase stands somewhere in the line; `multiword` for long lines, where a single word
        ("einverstanden", "agreed") is as likely the article's own."""
        matches = self._found(text)[1].get(key)
        if not matches:
            return False
        return any(m.size > 1 for m in matches) if multiword else True


class _Match(NamedTuple):
    start: int  # the line's word it starts at
    size: int  # in words
    phrase: str


@cache
def phrases() -> Phrases:
    """All languages' phrase data, loaded once per process."""
    files = [f for f in resources.files(__package__).iterdir() if f.name.endswith(".json")]
    return Phrases({f.name.removesuffix(".json"): json.loads(f.read_text(encoding="utf-8")) for f in files})
