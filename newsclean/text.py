"""Shape of a line of text: words, sentence ends, prose or headline. Language-neutral signals only.

Every rule asks about the same lines, many times each: `fold` and `word_count` remember their last
answers (`line_cache`), so a line is folded and counted once."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache, wraps

# A line cache holds a few pages' lines; lines longer than a long paragraph only while their page is
# cleaned: a page of one 2 MB line would otherwise stay in every cache (5 MB a page, page after page)
# until its entries aged out.
_CACHE_LINES = 1 << 14
_CACHE_CHARS = 1000
_long_line_caches: list = []


def line_cache(func):
    """An LRU cache for a function of one line of text (`func(text)`), which every rule asks about the
    same lines: of a few pages' lines, and of the long lines (over _CACHE_CHARS) of the page being
    cleaned, until `forget_long_lines`."""
    short = lru_cache(maxsize=_CACHE_LINES)(func)
    long = lru_cache(maxsize=None)(func)
    _long_line_caches.append(long)

    @wraps(func)
    def lookup(text: str):
        return short(text) if len(text) <= _CACHE_CHARS else long(text)

    return lookup


def forget_long_lines() -> None:
    """Empty the line caches of their long lines: called as each page's cleaning starts."""
    for cache in _long_line_caches:
        cache.cache_clear()


def _ranges(codes: list[int]) -> str:
    """Code points as the inside of a regex class, runs of them as ranges."""
    runs: list[list[int]] = []
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in runs)


#: Combining marks (a regex class's inside): part of the word they stand in, though `\w` leaves them
#: out. Indic scripts write most vowels with them ("हिन्दी" is one word, not four); Hebrew and Arabic
#: their vowel points. Not the marks of symbols and emoji ("✉️"): those stand for no letter.
MARKS = _ranges([c for c in range(0x300, 0x10000) if unicodedata.category(chr(c)) in ("Mn", "Mc", "Me")
                 and not (0x20D0 <= c <= 0x20FF or 0xFE00 <= c <= 0xFE0F)])
_WORD = rf"[\w{MARKS}]+"
_WORD_RE = re.compile(rf"{_WORD}(?:[-'’.]{_WORD})*")
# Scripts written without spaces between words: count their characters, not their "words". (Korean
# writes spaces between its words.)
NO_SPACE_SCRIPTS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\u0e00-\u0e7f"  # a regex class's inside
#: A character of a script written without spaces between words.
NO_SPACE_RE = re.compile(f"[{NO_SPACE_SCRIPTS}]")
#: The scripts where a space does not part the units of meaning (a regex class's inside): those written
#: without spaces, and Korean, which spaces its words but where a word carries its particles ("서울시는")
#: and a name is one word ("김민수"). Compared by pairs of characters; a name may be one word.
CLOSE_SCRIPTS = NO_SPACE_SCRIPTS + "\uac00-\ud7af"
# What folding replaces, character by character: quotes, dashes and no-break space by their ASCII
# forms; Arabic-Indic and Persian digits by ASCII digits; Turkish dotted capital I and dotless i by a
# plain i (casefolding makes "I" an "i": "OKUYUN" and "okuyun" match, "BUNLARI" and "bunları" too); and
# Arabic vowel marks by nothing (they are optional in writing: both spellings match).
_FOLDS = {"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"',
          "«": '"', "»": '"', "‹": "'", "›": "'", "–": "-", "—": "-", "\u00a0": " ", "İ": "i", "ı": "i"}
_FOLDS.update({chr(0x0660 + d): str(d) for d in range(10)} | {chr(0x06F0 + d): str(d) for d in range(10)})
_FOLDS.update({chr(c): "" for c in [*range(0x064B, 0x0660), 0x0670]})
# One pass of a regex finds them (str.translate looks up every character of a non-ASCII line).
_FOLD_RE = re.compile("[" + "".join(re.escape(ch) for ch in _FOLDS) + "]")
# What may close a sentence, possibly followed by closing quotes or brackets (German „…“ and »…«,
# French «…», CJK 「…」) and by characters that do not show: zero-width space and joiners, direction
# marks and isolates, soft hyphen, BOM.
_TERMINALS = frozenset(".!?…。！？؟:;।॥۔")
_STATEMENT_ENDS = frozenset(".!?。！？؟।॥۔")  # the Devanagari danda and the Urdu full stop too
_CLOSERS = "\"'”’“»«›‹)]）」』》〉】"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_AFTER_SENTENCE = _CLOSERS + _INVISIBLE
# A sentence boundary inside a line: "... province. AFP file photo".
_INNER_STOP_RE = re.compile(r"\w{2,}[.!?]\s+[A-Z\u0400-\u042f]")
# What running text holds at least one of in twenty words.
_SENTENCE_MARKS_RE = re.compile(r"[.,;:!?…。，、؛،।۔]")
# What `letters` leaves out.
_NOT_LETTERS_RE = re.compile(r"[\W_]+")
# A line of menu items run together: so many words at least, this share of them capitalised.
_MENU_WORDS = 20
_MENU_CAPITALS = 0.6


def _fold_char(match: re.Match) -> str:
    return _FOLDS[match.group()]


@line_cache
def fold(text: str) -> str:
    """Casefolded, quote- and space-normalised text, for comparing lines and matching phrases."""
    if not text.isascii():  # all the normalising is about non-ASCII characters
        text = _FOLD_RE.sub(_fold_char, unicodedata.normalize("NFKC", text))
    return " ".join(text.casefold().split())


def letters(key: str) -> str:
    """A folded line's letters and digits alone: copies of a line a page prints with other spacing,
    punctuation or markup ("Headline?", "Head line") compare equal."""
    return _NOT_LETTERS_RE.sub("", key)


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


@line_cache
def word_count(text: str) -> int:
    """Words in a line; for scripts without spaces, about one word per two characters."""
    n = len(_WORD_RE.findall(text))
    if text.isascii():
        return n
    cjk = len(NO_SPACE_RE.findall(text))
    return n + cjk // 2


def letter_count(text: str) -> int:
    return sum(map(str.isalpha, text))


def ends_sentence(text: str) -> bool:
    """The line closes with a sentence's end, perhaps followed by closing quotes or brackets."""
    return _without_closers(text)[-1:] in _TERMINALS


def is_prose(text: str) -> bool:
    """A sentence or more of running text: long enough and closed like a sentence, or simply long."""
    n = word_count(text)
    return (n >= 8 and ends_sentence(text)) or n >= 20


def is_flattened_menu(text: str) -> bool:
    """A menu's items run together on one line ("How to Invest Money What to Invest In How to Invest
    in Stocks ..."): long, without a single sentence mark or comma, most words capitalised."""
    # word_count is cached and counts no fewer words than `words` finds: most lines go before the search.
    if word_count(text) < _MENU_WORDS or _SENTENCE_MARKS_RE.search(text):
        return False
    found = words(text)
    if len(found) < _MENU_WORDS:
        return False
    return sum(w[:1].isupper() or w[:1].isdigit() for w in found) >= _MENU_CAPITALS * len(found)


def is_headline(text: str) -> bool:
    """Shaped like a headline: a few words, one sentence, not closed by a full stop."""
    n = word_count(text)
    if not 3 <= n <= 25:
        return False
    stripped = _without_closers(text)
    return (not stripped.endswith((".", "…", ";", ",", "。", "．")) and not _INNER_STOP_RE.search(stripped)
            and letter_count(text) >= 8)


def ends_statement(text: str) -> bool:
    """Closed by a full stop, question or exclamation mark: a sentence, where a label ends bare, or in a
    colon ("Read more:") or an ellipsis ("Loading...")."""
    stripped = _without_closers(text)
    return stripped[-1:] in _STATEMENT_ENDS and not stripped.endswith("..")


def _without_closers(text: str) -> str:
    """The line without the closing quotes, brackets and invisible marks after its last word or stop
    ('… he said.”' ends in a full stop)."""
    while True:
        stripped = text.rstrip().rstrip(_AFTER_SENTENCE)
        if stripped is text:
            return text
        text = stripped
