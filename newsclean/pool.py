"""Cleaning in worker processes, so CPU work stays off the caller's event loop and uses every core.

trafilatura is not thread-safe (run in threads it can crash the whole process), so the work runs in a
process pool with an explicit start method. A worker that dies takes only its own page with it: the
pages that were in flight on the broken pool are retried once, each alone in a fresh worker, and a
page that kills its worker again is reported as NotAnArticle("worker_crashed").
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from .clean import clean_page
from .options import Options
from .page import Article, NotAnArticle, Page

logger = logging.getLogger(__name__)


def _start_method() -> str:
    # Never fork: the caller (Scrapy's reactor, a CLI with a progress thread) has threads running.
    # forkserver starts workers fast from a clean process that has preloaded the cleaner.
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def _clean(page: Page, options: Options) -> Article:
    try:
        return clean_page(page, options)
    except NotAnArticle:
        raise
    except Exception as exc:  # a bug or a page beyond the parsers: drop the page, never the crawl
        raise NotAnArticle("error", f"cleaning failed: {type(exc).__name__}: {exc}") from None


class CleanerPool:
    """Runs `clean_page` in `workers` processes; `workers=0` runs it inline, in the caller's thread.

    `task(page, options)` is the work each page gets (a module-level function, so workers can import
    it); the default cleans the page and turns any unexpected exception into NotAnArticle("error").
    """

    def __init__(self, workers: int, options: Options, task: Callable[[Page, Options], Article] = _clean):
        self.workers = workers
        self.options = options
        self.task = task
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context(_start_method())
        if self._context.get_start_method() == "forkserver":
            self._context.set_forkserver_preload(["newsclean.clean"])
        self._executor = self._new_executor(workers) if workers > 0 else None
        self._closed = False

    def submit(self, page: Page) -> Future:
        """A future for the page's Article; it fails with NotAnArticle when the page cannot be one."""
        outer: Future = Future()
        if self._executor is None:
            try:
                outer.set_result(self.task(page, self.options))
            except NotAnArticle as exc:
                outer.set_exception(exc)
            return outer
        self._run(page, outer, alone=False)
        return outer

    def worker_pids(self) -> list[int]:
        """Process ids of the running workers (for monitoring: memory, liveness)."""
        with self._lock:
            processes = getattr(self._executor, "_processes", None) or {}  # the executor keeps no public list
            return [p.pid for p in processes.values() if p.is_alive()]

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
            if self._executor is not None:
                self._executor.shutdown(wait=True, cancel_futures=True)

    def _new_executor(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=self._context)

    def _run(self, page: Page, outer: Future, alone: bool) -> None:
        if alone:
            executor = self._new_executor(1)
        else:
            with self._lock:
                executor = self._executor
        try:
            inner = executor.submit(self.task, page, self.options)
        except BrokenProcessPool:
            self._replace(executor)
            inner = Future()
            inner.set_exception(BrokenProcessPool("the pool broke before the page was sent"))
        except RuntimeError as exc:  # shut down meanwhile
            outer.set_exception(NotAnArticle("shutdown", f"the cleaner was shut down: {exc}"))
            return
        inner.add_done_callback(lambda done: self._settle(done, page, outer, executor, alone))

    def _settle(self, inner: Future, page: Page, outer: Future, executor: ProcessPoolExecutor, alone: bool) -> None:
        if alone:
            executor.shutdown(wait=False)
        if inner.cancelled():  # shut down before a worker took the page
            outer.set_exception(NotAnArticle("shutdown", "the cleaner was shut down before it cleaned the page"))
            return
        exc = inner.exception()
        if isinstance(exc, BrokenProcessPool):
            if alone:
                outer.set_exception(NotAnArticle("worker_crashed", "the cleaning worker died on this page, twice"))
                return
            logger.warning("A cleaning worker died with %s in flight: retrying it alone", page.url or "a page")
            self._replace(executor)
            self._run(page, outer, alone=True)
        elif exc is not None:
            outer.set_exception(exc if isinstance(exc, NotAnArticle)
                                else NotAnArticle("error", f"cleaning failed: {type(exc).__name__}: {exc}"))
        else:
            outer.set_result(inner.result())

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """Put a fresh pool in place of a broken one (once, however many pages saw it break)."""
        with self._lock:
            if self._executor is broken and not self._closed:
                self._executor = self._new_executor(self.workers)
        broken.shutdown(wait=False)
