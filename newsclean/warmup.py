"""Warm a process up for cleaning, so the first pages of a fresh worker cost what any page costs.

Importing this module warms up what every page needs, in well under a second:

- newsclean's phrase data builds its index on first use;
- the language detection backend loads its language profiles on first use (langdetect-rs: 0.07 s).

It is meant for the cleaning pool's forkserver preload (``set_forkserver_preload(["newsclean.clean",
"newsclean.warmup"])``): the workers the forkserver forks inherit it, however often they are replaced.

`warm_up_dates()` is the rest, which only HTML pages need; a worker calls it before its first HTML
page (`warm_up_dates_for`). dateparser (which htmldate calls on the HTML path) compiles a regular
expression per locale the first time it tries to parse a string no locale claims: about 3 s of CPU,
all locales at once. Done in the forkserver, it would hold back every worker for those 3 s, in
text-only crawls too.
"""

from __future__ import annotations

from .decode import is_markup
from .language import BACKEND, BACKENDS
from .page import Page
from .phrases import phrases

_dates_warm = False


def warm_up() -> None:
    phrases()
    BACKENDS[BACKEND]


def warm_up_dates_for(page: Page) -> None:
    """Warm up dateparser before the first page that takes the HTML path: one with html, or whose raw
    text is a page's HTML (the cleaner reads it as HTML)."""
    if _dates_warm:
        return
    raw = page.raw_text
    if page.html or (isinstance(raw, str) and is_markup(raw)):
        warm_up_dates()


def warm_up_dates() -> None:
    """Compile dateparser's locales in this process (once; the later calls return at once)."""
    global _dates_warm
    if _dates_warm:
        return
    _dates_warm = True  # tried once: a warm-up that fails leaves the pages to warm up as they go
    import dateparser
    import htmldate

    # A string no locale can parse makes dateparser try (and compile) every locale; then the common
    # shapes of dates.
    for text in ("zzzz qqqq 2018", "3 September 2018", "2018-09-03T14:05:00", "Sept. 3, 2018 2:05 pm"):
        dateparser.parse(text)
    htmldate.find_date("<html><body><p>Published 3 September 2018</p></body></html>")


warm_up()
