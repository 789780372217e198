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
    def __init__(self, languages: dict[str, dict]):
        self.languages = sorted(languages)
        self._lists: dict[str, list[str]] = {key: [] for key in LIST_KEYS}
        self.months: dict[str, int] = {}
        for data in languages.values():
            for key in LIST_KEYS:
                self._lists[key].extend(core(p) for p in data.get(key, ()) if core(p))
            self.months.update({fold(k).rstrip("."): v for k, v in data.get("months", {}).items()})
        self._exact = {key: frozenset(v) for key, v in self._lists.items()}
        self._search = {key: _alternation(v) for key, v in self._lists.items()}
        self._search_multiword = {key: _alternation([p for p in v if " " in p]) for key, v in self._lists.items()}
        self._prefix = {key: re.compile(rf"^(?:{_alternation(v).pattern})(?: |$)") for key, v in self._lists.items()}
        self._suffix = {key: re.compile(rf"(?:^| )(?:{_alternation(v).pattern})$") for key, v in self._lists.items()}

    def words(self, key: str) -> list[str]:
        return self._lists[key]

    def line_is(self, key: str, text: str) -> bool:
        """The whole line is one of the phrases (counts and punctuation aside)."""
        return core(text) in self._exact[key]

    def line_starts(self, key: str, text: str, extra_words: int = 3) -> bool:
        """The line opens with a phrase and says little more (e.g. "Follow us on Twitter")."""
        c = core(text)
        m = self._prefix[key].match(c)
        return bool(m) and len(c[m.end():].split()) <= extra_words

    def line_ends(self, key: str, text: str) -> bool:
        """The line closes with a phrase ("Jane Doe says:" closes with "says")."""
        return bool(self._suffix[key].search(core(text)))

    def line_opening(self, key: str, text: str) -> str | None:
        """The phrase a line opens with, if it opens with one and goes on."""
        m = self._prefix[key].match(core(text))
        return m.group(0).strip() if m and m.end() < len(core(text)) else None

    def count(self, key: str, text: str) -> int:
        """How many different phrases of a list stand in the line."""
        return len(set(self._search[key].findall(core(text))))

    def contains(self, key: str, text: str, multiword: bool = False) -> bool:
        """A phrase stands somewhere in the line; `multiword` for long lines, where a single word
        ("einverstanden", "agreed") is as likely the article's own."""
        search = self._search_multiword if multiword else self._search
        return bool(search[key].search(core(text)))


def _alternation(phrases: list[str]) -> re.Pattern:
    if not phrases:
        return re.compile("(?!)")  # matches nothing
    body = "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


@cache
def phrases() -> Phrases:
    """All languages' phrase data, loaded once per process."""
    files = [f for f in resources.files(__package__).iterdir() if f.name.endswith(".json")]
    return Phrases({f.name.removesuffix(".json"): json.loads(f.read_text(encoding="utf-8")) for f in files})
