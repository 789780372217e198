"""Shape of a line of text: words, sentence ends, prose or headline. Language-neutral signals only."""

from __future__ import annotations

import re
import unicodedata

_WORD_RE = re.compile(r"\w+(?:[-'’.]\w+)*", re.UNICODE)
# Scripts written without spaces between words: count their characters, not their "words".
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"',
                         "«": '"', "»": '"', "‹": "'", "›": "'", "–": "-", "—": "-", "\u00a0": " "})
# Arabic-Indic and Persian digits read as ASCII digits; Turkish dotted capital I folds to a plain i.
_QUOTES.update({0x0660 + d: str(d) for d in range(10)} | {0x06F0 + d: str(d) for d in range(10)} | {ord("İ"): "i"})
# Arabic vowel marks are optional in writing: drop them so both spellings match.
_ARABIC_MARKS_RE = re.compile(r"[\u064b-\u065f\u0670]")
_SPACE_RE = re.compile(r"\s+")
# What may close a sentence, possibly followed by closing quotes or brackets.
_TERMINAL_RE = re.compile(r"[.!?…。！？؟:;][\"'”’»)\]]*\s*$")
# A sentence boundary inside a line: "... province. AFP file photo".
# What running text holds at least one of in twenty words.
_SENTENCE_MARKS_RE = re.compile(r"[.,;:!?…。，、؛،]")
# Share of capitalised words in a line of menu items.
_MENU_CAPITALS = 0.6
_INNER_STOP_RE = re.compile(r"\w{2,}[.!?]\s+[A-Z\u0400-\u042f]")


def fold(text: str) -> str:
    """Casefolded, quote- and space-normalised text, for comparing lines and matching phrases."""
    text = _ARABIC_MARKS_RE.sub("", unicodedata.normalize("NFKC", text).translate(_QUOTES)).casefold()
    return _SPACE_RE.sub(" ", text).strip()


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def word_count(text: str) -> int:
    """Words in a line; for scripts without spaces, about one word per two characters."""
    cjk = len(_CJK_RE.findall(text))
    return len(words(text)) + cjk // 2 if cjk else len(words(text))


def letter_count(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def ends_sentence(text: str) -> bool:
    return bool(_TERMINAL_RE.search(text.rstrip()))


def is_prose(text: str) -> bool:
    """A sentence or more of running text: long enough and closed like a sentence, or simply long."""
    n = word_count(text)
    return (n >= 8 and ends_sentence(text)) or n >= 20


def is_flattened_menu(text: str) -> bool:
    """A menu's items run together on one line ("How to Invest Money What to Invest In How to Invest
    in Stocks ..."): long, without a single sentence mark or comma, most words capitalised."""
    found = words(text)
    if len(found) < 20 or _SENTENCE_MARKS_RE.search(text):
        return False
    return sum(w[:1].isupper() or w[:1].isdigit() for w in found) >= _MENU_CAPITALS * len(found)


def is_headline(text: str) -> bool:
    """Shaped like a headline: a few words, one sentence, not closed by a full stop."""
    n = word_count(text)
    stripped = text.rstrip()
    return (3 <= n <= 25 and not stripped.endswith((".", "…", ";", ","))
            and not _INNER_STOP_RE.search(stripped) and letter_count(text) >= 8)
