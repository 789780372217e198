"""Warm a process up for cleaning, so the first pages of a fresh worker cost what any page costs.

Importing this module warms up what every page needs, in well under a second:

- newsclean's phrase data builds its index on first use;
- the language detection backend loads its language profiles on first use (langdetect-rs: 0.07 s);
- htmldate reads the month names of all of dateparser's locales the first time a date string looks
  textual (0.2 s).

It is meant for the cleaning pool's forkserver preload (``set_forkserver_preload(["newsclean.clean",
"newsclean.warmup"])``): the workers the forkserver forks inherit it, however often they are replaced.
"""

from __future__ import annotations

from trafilatura.utils import load_html

from .htmlmeta import page_metadata
from .language import BACKEND, BACKENDS
from .phrases import phrases

# A date-shaped line htmldate's patterns do not read (no year, no month it knows): it looks its words up.
_DATED_PAGE = "<html><body><p class='date'>le 3 brumaire, 14:05</p><p>Text.</p></body></html>"


def warm_up() -> None:
    phrases()
    BACKENDS[BACKEND]
    page_metadata(load_html(_DATED_PAGE), None)


warm_up()
