"""Warm a process up for cleaning: importing this module does, once, the work the first pages of a
fresh process otherwise pay for, about 4 s of CPU on two cores here:

- dateparser (which htmldate calls on the HTML path) compiles a regular expression per locale the
  first time it tries to parse a string no locale claims: about 3 s, all locales at once;
- newsclean's phrase data builds its index on first use;
- the language detection backend loads its language profiles on first use (langdetect-rs: 0.07 s).

Meant for the cleaning pool's forkserver preload (``set_forkserver_preload(["newsclean.clean",
"newsclean.warmup"])``): the workers the forkserver forks inherit the compiled patterns, so none of
them pays again, however often workers are replaced. Don't import it elsewhere: it costs seconds.
"""

from __future__ import annotations

import dateparser
import htmldate

from .language import BACKEND, BACKENDS
from .phrases import phrases


def warm_up() -> None:
    phrases()
    BACKENDS[BACKEND]
    # A string no locale can parse makes dateparser try (and compile) every locale; then the common
    # shapes of dates.
    for text in ("zzzz qqqq 2018", "3 September 2018", "2018-09-03T14:05:00", "Sept. 3, 2018 2:05 pm"):
        dateparser.parse(text)
    htmldate.find_date("<html><body><p>Published 3 September 2018</p></body></html>")


warm_up()
