"""Tasks for CleanerPool tests. They are module-level functions of an importable module, so the pool's
forkserver workers can unpickle them (multiprocessing hands the test process's sys.path, which holds
this folder, to the forkserver).

A page whose URL has ``?started=PATH`` makes the task append the worker's pid to the file PATH when it
starts on the page, so a test knows for sure that the page is in a worker, mid-item, and how many
times (in which workers) it was tried.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from newsclean.clean import clean_page
from newsclean.options import Options
from newsclean.page import Article, Page

SLOW_SECONDS = 1.0


def _mark_started(page: Page) -> None:
    for path in parse_qs(urlsplit(page.url).query).get("started", []):
        with Path(path).open("a") as file:
            file.write(f"{os.getpid()}\n")


def starts(path: Path) -> list[int]:
    """The pids of the workers that started on the page marked with `path`, in order."""
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def slow_clean(page: Page, options: Options) -> Article:
    """Clean the page, after a pause long enough for a test to kill the worker in the middle."""
    _mark_started(page)
    time.sleep(SLOW_SECONDS)
    return clean_page(page, options)


def poison_or_clean(page: Page, options: Options) -> Article:
    """A page whose URL has ``?poison`` kills its worker (as a segfault in trafilatura would); the
    others are cleaned after a short pause, so they are in flight when the poison strikes."""
    _mark_started(page)
    if "poison" in parse_qs(urlsplit(page.url).query, keep_blank_values=True):
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(SLOW_SECONDS)
    return clean_page(page, options)


def slow_or_clean(page: Page, options: Options) -> Article:
    """A page whose URL (its query aside) has "slow" in it takes ten minutes, as a page that sends a
    parser into a pathological case might; the others are cleaned after the usual pause."""
    _mark_started(page)
    time.sleep(600 if "slow" in page.url.split("?", 1)[0] else SLOW_SECONDS)
    return clean_page(page, options)


def echo(page: Page, options: Options) -> Article:
    """The page's text as it is, at once: for tests of the pool's own overhead and bookkeeping."""
    return Article(url=page.url, text=page.raw_text or "")


def raise_value_error(page: Page, options: Options) -> Article:
    """A task with a bug."""
    raise ValueError("a bug")
