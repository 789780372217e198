"""Dates as pages print them ("Sep 4, 2018", "03 September, 2018", "MON 25 - 11 - 2024", "04.09.2018",
"2018年9月4日"), found in a line and returned as ISO 8601 YYYY-MM-DD. Month and weekday names come from the
phrase data."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from functools import cache

from .phrases import core, phrases
from .text import fold

_TIME_RE = re.compile(r"\b\d{1,2}[:.h]\d{2}(?::\d{2})?\s*(?:[ap]\.?\s?m\.?)?(?:\s*[a-z]{2,4}\b)?")
# Not inside a longer number; a label may stand right before it ("송고시간2024-05-14").
_ISO_RE = re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:t[\d:.+z-]*)?\b")
_DMY_RE = re.compile(r"\b(?P<a>\d{1,2})\s*(?P<sep>[./-])\s*(?P<b>\d{1,2})\s*(?P=sep)\s*(?P<y>(?:19|20)\d{2})\b")
# Chinese, Japanese and Korean: "2024年5月14日", "2024년 5월 14일"; Korean also "2024. 5. 14.".
_CJK_RE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]")
_SPACED_DOTS_RE = re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})\.\s+(?P<m>\d{1,2})\.\s+(?P<d>\d{1,2})\.")
# What a date line may hold beside the date, weekdays and date labels aside: a source's name ("AFP").
_REST_WORDS = 2
# Every date shape above has a year: a line without one (most lines) holds no date.
_YEAR_RE = re.compile(r"(?:19|20)\d{2}")


@dataclass(frozen=True)
class FoundDate:
    iso: str
    start: int
    end: int


@cache
def _textual_patterns() -> tuple[re.Pattern, ...]:
    names = sorted(phrases().months, key=len, reverse=True)
    if not names:
        return ()
    month = "|".join(re.escape(n) for n in names)
    day = r"(?P<d>\d{1,2})(?:st|nd|rd|th|er|º|\.)?"
    year = r"(?P<y>(?:19|20)\d{2})"
    day_month = re.compile(rf"(?<!\w){day}\s*(?:de\s+)?(?P<m>{month})\.?,?\s*(?:de\s+)?{year}(?!\d)")
    month_day = re.compile(rf"(?<!\w)(?P<m>{month})\.?\s+{day},?\s+{year}(?!\d)")
    return day_month, month_day


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def names_year(text: str) -> bool:
    """The text names a year from 1900 to 2099 (a copyright line's, a date's)."""
    return _YEAR_RE.search(text) is not None


def find_date(text: str) -> FoundDate | None:
    """The first date printed in the line, if any."""
    folded = fold(text)
    if not names_year(folded):
        return None
    months = phrases().months
    found: list[FoundDate] = []
    for pattern in _textual_patterns():
        for m in pattern.finditer(folded):
            iso = _iso(int(m["y"]), months[m["m"].rstrip(".")], int(m["d"]))
            if iso:
                found.append(FoundDate(iso, m.start(), m.end()))
    for m in itertools.chain(_ISO_RE.finditer(folded), _CJK_RE.finditer(folded), _SPACED_DOTS_RE.finditer(folded)):
        iso = _iso(int(m["y"]), int(m["m"]), int(m["d"]))
        if iso:
            found.append(FoundDate(iso, m.start(), m.end()))
    for m in _DMY_RE.finditer(folded):
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        # Day first, as most of the world prints it; month first where the day cannot be the month,
        # and for slashes when both could be (the US convention).
        month_first = b > 12 or (m["sep"] == "/" and a <= 12)
        iso = _iso(y, a, b) if month_first else _iso(y, b, a)
        if iso:
            found.append(FoundDate(iso, m.start(), m.end()))
    return min(found, key=lambda f: f.start) if found else None


def date_line(text: str) -> FoundDate | None:
    """The date of a line that is little but a date (weekday, time, a label or a source name aside)."""
    if len(text) > 120:
        return None
    found = find_date(text)
    if not found:
        return None
    folded = fold(text)
    rest = core(_TIME_RE.sub(" ", folded[:found.start] + " " + folded[found.end:]))
    date_words = _date_words()
    words = [w for w in rest.split() if w not in date_words]
    return found if len(words) <= _REST_WORDS else None


@cache
def _date_words() -> frozenset[str]:
    """Words that may stand beside a date on a date line: weekdays and date labels."""
    return frozenset(phrases().words("weekdays")) | frozenset(phrases().words("date_labels"))
