"""Cleaning in worker processes, so CPU work stays off the caller's event loop and uses every core.

trafilatura is not thread-safe (run in threads it can crash the whole process), so the work runs in a
process pool with an explicit start method. The pool hands the workers a page each and one more each
to start on next (the pages waiting stay here), so it knows which pages are in flight at any time, and
what goes wrong with one costs only the pages in flight:

- A worker that dies takes only its own page with it: the pages that were in flight on the broken pool
  are retried once, each alone in a fresh worker, and a page that kills its worker again is reported
  as NotAnArticle("worker_crashed").
- A page that takes longer than `timeout` seconds is stopped: a running task cannot be cancelled, so a
  watchdog thread kills its worker. The page is reported as NotAnArticle("timeout") and not tried
  again; the other pages in flight are retried alone, as after a crash. A page's clock starts when a
  worker starts on it (the worker says so on a pipe), not while it waits for one.
- Workers ignore Ctrl-C (the caller decides when they stop: `shutdown` lets them finish the page they
  are on) and die with the process that started them, so a killed crawl leaves none behind.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import logging
import math
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.connection import Connection

from .options import Options
from .page import Article, NotAnArticle, Page

logger = logging.getLogger(__name__)

#: Seconds a page may take to clean before its worker is stopped (NEWSCLEAN_TIMEOUT); 0: no limit.
DEFAULT_TIMEOUT = 60.0

# The longest the watchdog sleeps at once before it looks at the deadlines again.
_MAX_WAIT = 3600.0

#: How much lower than the caller's the workers' CPU priority is (Unix niceness, added to the caller's).
WORKER_NICENESS = 10

#: Seconds the workers may take to start (to run a first task) before the pool gives up on them: well
#: past what loading the cleaner takes (about a second; several where workers are spawned, on a busy
#: machine), whatever the pages' own time limit.
START_TIMEOUT = 60.0

#: Pages handed to the executor per worker: a worker's next page is already on its way when it
#: finishes one, so it never waits a round trip through the caller (the time limit's clock starts only
#: when the worker starts on the page).
QUEUED_PER_WORKER = 2

#: Imported by the forkserver before it forks any worker: workers start with the cleaner loaded and
#: warmed up (compiled patterns), so a worker's first page costs what any page costs.
PRELOAD = ["newsclean.clean", "newsclean.warmup"]


def _start_method() -> str:
    # Never fork: the caller (Scrapy's reactor, a CLI with a progress thread) has threads running.
    # forkserver starts workers fast from a clean process that has preloaded the cleaner.
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def default_workers() -> int:
    """One worker per CPU this process may run on: a crawl pinned to some CPUs (taskset, a container's
    cpuset) starts no more workers than it has CPUs."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def check_not_starting_a_worker() -> None:
    """Fail at once when a crawl starts in a worker process while it starts up: Python runs the top-level
    code of the script that started the crawl again in every worker it starts (as multiprocessing does
    under forkserver and spawn), so a script without `if __name__ == "__main__":` would run its whole
    crawl again in each worker. multiprocessing marks a process that is importing its parent's script
    so (`_inheriting`), and refuses to start processes from it for the same reason."""
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        message = ("newsclean: a crawl is starting in one of newsclean's worker processes, which is running "
                   "the top-level code of the script that started the crawl: Python runs it again in every "
                   "process a crawl starts. This crawl is stopped; put the script's crawl under "
                   "`if __name__ == \"__main__\":` (https://docs.python.org/3/library/multiprocessing.html"
                   "#the-spawn-and-forkserver-start-methods)")
        logger.error(message)  # the crawl's failure itself goes unreported where the script ignores it
        raise RuntimeError(message)


def start_forkserver() -> None:
    """Start the process workers are forked from, with the cleaner preloaded, without waiting for it: it
    loads the cleaner (0.6 s of CPU) while the caller goes on starting up (Scrapy loads its components
    for half a second before a pipeline's open_spider), so the pool's workers are ready sooner. A pool
    started later forks from it; nothing happens where workers are spawned (no forkserver)."""
    if _start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    forkserver.ensure_running()


def _clean(page: Page, options: Options) -> Article:
    from .clean import clean_page  # here, not at the top: the caller's process never cleans (workers do)

    try:
        return clean_page(page, options)
    except Exception as exc:  # noqa: BLE001 - drop the page, never the crawl
        raise _as_not_an_article(exc) from None


def _without_removed(task: Callable[[Page, Options], Article], page: Page, options: Options) -> Article:
    article = task(page, options)
    article.removed = []
    return article


# ---------------------------------------------------------------------------------------------------
# In the workers

#: Where a worker says which page it starts on (None: no time limit, nobody listens).
_starts: Connection | None = None


def _init_worker(starts: Connection | None, forkserver: bool) -> None:
    global _starts
    _starts = starts
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C at the terminal reaches us too: the caller stops us
    # When cores are short, the caller's event loop goes first: a page waits a little longer for its
    # worker instead of the whole crawl stalling. Idle cores still go to the workers.
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)
    _exit_with_parent(forkserver)
    try:  # done already when the forkserver preloaded it; else now, before any page's clock starts
        import newsclean.warmup  # noqa: F401
    except Exception:  # a cold worker still works
        pass


def _run_task(task: Callable[[Page, Options], Article], ticket: int, page: Page, options: Options) -> Article:
    if _starts is not None:
        _starts.send((ticket, os.getpid()))  # one small write to a pipe: atomic, no lock to leave held
    return task(page, options)


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _exit_with_parent(forkserver: bool) -> None:
    """Make this worker exit when the process that asked for it (the crawl, the CLI) dies, however it
    dies, so none is left behind.

    Under forkserver on Linux: the forkserver exits when the pipe the crawl holds to it closes, and the
    kernel kills its children then (prctl PR_SET_PDEATHSIG), whatever they are doing. But each child
    inherits a copy of that pipe's end, which would keep the forkserver alive as long as the workers
    are: a worker closes its copy first. Elsewhere, a thread waits on multiprocessing's sentinel of
    the parent process and exits when it closes.
    """
    from multiprocessing import forkserver as forkserver_module

    server = getattr(forkserver_module, "_forkserver", None)
    alive_fd = getattr(server, "_forkserver_alive_fd", None)
    if forkserver and sys.platform.startswith("linux") and alive_fd is not None:
        os.close(alive_fd)
        server._forkserver_alive_fd = None
        parent = os.getppid()
        try:
            armed = ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) == 0
        except (OSError, AttributeError):
            armed = False
        if armed:
            if os.getppid() != parent:  # it died before the kernel was told
                os._exit(1)
            return
    parent_process = multiprocessing.parent_process()
    if parent_process is not None:
        threading.Thread(target=_exit_after, args=(parent_process,), name="newsclean-parent-watch", daemon=True).start()


def _exit_after(parent_process: multiprocessing.process.BaseProcess) -> None:
    parent_process.join()  # waits on the parent's sentinel: returns when it closes
    os._exit(1)


# ---------------------------------------------------------------------------------------------------
# In the caller


@dataclass(eq=False)
class _Job:
    """A page on its way through the pool."""

    page: Page
    outer: Future
    alone: bool = False  # retried alone, in a fresh worker
    executor: ProcessPoolExecutor | None = None
    deadline: float | None = None  # once a worker started on it: when it will have taken too long
    pid: int | None = None  # and which worker that is
    timed_out: bool = False


class CleanerPool:
    """Runs `clean_page` in `workers` processes; `workers=0` runs it inline, in the caller's thread
    (with no time limit: there is no worker to stop).

    `task(page, options)` is the work each page gets (a module-level function, so workers can import
    it); the default cleans the page and turns any unexpected exception into NotAnArticle("error").
    `timeout` is the seconds a page may take in a worker (0: no limit). `removed=False` when the caller
    has no use for the lines cleaning took out (`Article.removed`, what explaining shows): the workers
    leave them off, most of a raw-text page less to send back and unpickle on the caller's event loop.
    """

    def __init__(self, workers: int, options: Options, task: Callable[[Page, Options], Article] = _clean,
                 timeout: float = DEFAULT_TIMEOUT, removed: bool = True):
        self.workers = workers
        self.options = options
        self.task = task if removed else functools.partial(_without_removed, task)
        self.timeout = time_limit(timeout)
        self._lock = threading.Lock()  # guards everything below
        self._closed = False
        #: (reason, message) of the pages that come once it is closed.
        self._closed_why = ("shutdown", "the cleaner was shut down before it cleaned the page")
        self._waiting: deque[_Job] = deque()
        self._running: dict[int, _Job] = {}  # by ticket: the jobs sent to a worker, not yet settled
        self._tickets = itertools.count()
        self._busy = 0  # jobs in the shared executor (retries alone come on top)
        self._context = multiprocessing.get_context(_start_method())
        self._executor: ProcessPoolExecutor | None = None
        self._ready = True  # False until the workers have started (with the first page)
        self._starts: tuple[Connection, Connection] | None = None  # (read end, write end)
        self._watchdog: threading.Thread | None = None
        if workers > 0:
            if self.timeout:
                self._starts = self._context.Pipe(duplex=False)
                self._watchdog = threading.Thread(target=self._watch, name="newsclean-watchdog", daemon=True)
                self._watchdog.start()
            self._executor = self._new_executor(workers)
            self._ready = False  # the workers start with the first page (`submit`)
        self._started = False

    def submit(self, page: Page) -> Future:
        """A future for the page's Article; it fails with NotAnArticle when the page cannot be one."""
        outer: Future = Future()
        if self.workers <= 0:
            if self._closed:
                _fail(outer, *self._closed_why)
            else:
                try:
                    _resolve(outer, self.task(page, self.options))
                except Exception as exc:  # noqa: BLE001 - as from a worker: the page fails, not the caller
                    _resolve(outer, error=_as_not_an_article(exc))
            return outer
        with self._lock:
            closed = self._closed
            start = not closed and not self._started
            if not closed:
                self._waiting.append(_Job(page, outer))
                self._started = True
        if start:
            # The workers start with the first page: a crawl that never cleans one (`scrapy shell`,
            # `fetch`) starts none. It takes a moment (a second when the forkserver has not loaded
            # the cleaner yet): a thread waits for it, so the caller (Scrapy's event loop) never
            # does. Pages queue meanwhile.
            threading.Thread(target=self._start, name="newsclean-start", daemon=True).start()
        if closed:
            _fail(outer, *self._closed_why)
        else:
            self._pump()
        return outer

    def worker_pids(self) -> list[int]:
        """Process ids of the running workers (for monitoring: memory, liveness)."""
        with self._lock:
            executors = [self._executor] + [job.executor for job in self._running.values() if job.alone]
        pids = []
        for executor in executors:
            processes = getattr(executor, "_processes", None) or {}  # the executor keeps no public list
            pids += [p.pid for p in list(processes.values()) if p.is_alive()]
        return pids

    def shutdown(self, kill: bool = False) -> None:
        """Stop: pages still waiting fail with NotAnArticle("shutdown"), the workers finish the page
        they are on (within the time limit) and exit. With `kill`, the workers are killed at once and
        the pages they were on fail too (a crawl forced to stop). Safe to call again, from any thread."""
        with self._lock:
            self._closed = True
            waiting = list(self._waiting)
            self._waiting.clear()
            executors = {self._executor} | {job.executor for job in self._running.values()}
            watchdog, self._watchdog = self._watchdog, None
        for job in waiting:
            _fail(job.outer, *self._closed_why)
        for executor in executors - {None}:  # nothing new starts once closed: these are all
            if kill:  # the executor notices its workers died and fails their pages; we report "shutdown"
                for process in list((getattr(executor, "_processes", None) or {}).values()):
                    process.kill()
            executor.shutdown(wait=not kill, cancel_futures=True)
        if watchdog is not None:
            self._starts[1].send(None)
            watchdog.join()
            for end in self._starts:
                end.close()

    # -- sending pages to workers, and settling them -------------------------------------------------

    def _start(self) -> None:
        """Start every worker (the executor starts them all with its first task) and wait until one
        has run a task, then hand over the pages that queued meanwhile. Workers that fail to start are
        started again once; when they fail again, or have not started within START_TIMEOUT, no page
        can be cleaned: the pool closes, and every page fails as NotAnArticle("no_workers")."""
        for attempt in range(2):
            try:
                start_forkserver()  # running already when the Scrapy add-on started it
                self._executor.submit(os.getpid).result(timeout=START_TIMEOUT)
                break
            except Exception as exc:  # noqa: BLE001 - whatever stops the workers, the pages must settle
                if self._closed:
                    return  # shut down meanwhile: its pages failed with it
                if attempt == 0 and not isinstance(exc, TimeoutError):  # died starting, or could not fork
                    self._replace(self._executor)
                    continue
                self._cannot_start(exc)
                return
        with self._lock:
            self._ready = True
        self._pump()

    def _cannot_start(self, exc: Exception) -> None:
        if isinstance(exc, TimeoutError):
            why = f"the cleaning workers did not start within {START_TIMEOUT:g} s"
        else:
            why = f"the cleaning workers died starting ({type(exc).__name__}: {exc})"
        # What does it, seen so far: a crawl script without a __main__ guard, whose top-level code
        # each worker runs again, and which never returns there (a reactor the failed crawl never stops)
        # or raises (asyncio.run).
        logger.error("newsclean: %s: no page can be cleaned, and every item is dropped as no_workers. Started "
                     "from a script of your own? Put its crawl under `if __name__ == \"__main__\":`: Python runs the "
                     "script's top-level code again in each worker", why)
        with self._lock:
            self._closed_why = ("no_workers", why)
        self.shutdown(kill=True)

    def _new_executor(self, workers: int) -> ProcessPoolExecutor:
        starts = self._starts[1] if self._starts else None
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=self._context, initializer=_init_worker,
                                       initargs=(starts, self._context.get_start_method() == "forkserver"))
        # Start all its workers with the first page, as ProcessPoolExecutor does under fork "so that their
        # sentinels are known": it notices a dead worker only among those it knew when it last woke up,
        # and otherwise spawns a worker just after waking for the page that needs it, so that worker
        # could die unnoticed (a page killed by the time limit would never settle).
        executor._safe_to_dynamically_spawn_children = False
        return executor

    def _pump(self) -> None:
        """Hand waiting pages to the shared executor while it has room for them."""
        while True:
            with self._lock:
                full = self._busy >= self.workers * QUEUED_PER_WORKER
                if self._closed or not self._ready or not self._waiting or full:
                    return
                job = self._waiting.popleft()
                if job.outer.cancelled():  # its caller gave up on it while it waited
                    continue
                job.executor = self._executor
                self._busy += 1
                ticket = self._register(job)
            self._send(ticket, job)

    def _register(self, job: _Job) -> int:
        # Under the lock.
        ticket = next(self._tickets)
        self._running[ticket] = job
        job.deadline = job.pid = None
        return ticket

    def _send(self, ticket: int, job: _Job) -> None:
        try:
            inner = job.executor.submit(_run_task, self.task, ticket, job.page, self.options)
        except BrokenProcessPool:  # the pool broke before it took the page: the page never ran
            self._forget(ticket, job)
            self._replace(job.executor)
            self._requeue(job)
        except RuntimeError as exc:  # shut down
            self._forget(ticket, job)
            _fail(job.outer, "shutdown", f"the cleaner was shut down: {exc}")
        except Exception as exc:  # noqa: BLE001 - a worker the submit starts fails to (EMFILE, ENOMEM...)
            # Raised here, it would leave the page unsettled, its item waiting for ever (from a done
            # callback, where exceptions are only logged) or dropped uncounted (from the caller).
            self._forget(ticket, job)
            self._replace(job.executor)
            _fail(job.outer, "error", f"the cleaner could not hand the page to a worker: {type(exc).__name__}: {exc}")
        else:
            inner.add_done_callback(lambda done: self._settle(ticket, job, done))

    def _forget(self, ticket: int, job: _Job) -> None:
        with self._lock:
            del self._running[ticket]
            if not job.alone:
                self._busy -= 1

    def _requeue(self, job: _Job) -> None:
        """First in line again, for the next worker free."""
        with self._lock:
            closed = self._closed
            if not closed:
                job.alone = False
                self._waiting.appendleft(job)
        if closed:
            _fail(job.outer, *self._closed_why)
        else:
            self._pump()

    def _settle(self, ticket: int, job: _Job, inner: Future) -> None:
        self._forget(ticket, job)
        if job.alone:
            job.executor.shutdown(wait=False)
        exc = None if inner.cancelled() else inner.exception()
        if inner.cancelled():
            _fail(job.outer, "shutdown", "the cleaner was shut down before it cleaned the page")
        elif isinstance(exc, BrokenProcessPool):
            self._replace(job.executor)
            self._recover(job)
        elif exc is not None:
            _resolve(job.outer, error=_as_not_an_article(exc))
        else:
            _resolve(job.outer, inner.result())
        self._pump()

    def _recover(self, job: _Job) -> None:
        """The job's worker died (or its pool did): report the page, or try it again, alone."""
        if job.timed_out:
            _fail(job.outer, "timeout", f"cleaning took longer than {self.timeout:g} s: its worker was stopped")
            return
        if job.alone:
            _fail(job.outer, "worker_crashed", "the cleaning worker died on this page, twice")
            return
        with self._lock:
            closed = self._closed
            if not closed:
                logger.warning("A cleaning worker died with %s in flight: retrying it alone", job.page.url or "a page")
                job.alone = True
                job.executor = self._new_executor(1)
                ticket = self._register(job)
        if closed:
            _fail(job.outer, "shutdown", "the cleaner was shut down while the page's worker was replaced")
        else:
            self._send(ticket, job)

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """Put a fresh pool in place of a broken one (once, however many pages saw it break)."""
        with self._lock:
            if self._executor is broken and not self._closed:
                self._executor = self._new_executor(self.workers)
        broken.shutdown(wait=False)

    # -- the time limit ------------------------------------------------------------------------------

    def _watch(self) -> None:
        """The watchdog: starts a page's clock when its worker says it started on it, and kills the
        worker of a page past its deadline. Sleeps until the next message or deadline."""
        reader = self._starts[0]
        while True:
            if reader.poll(self._until_next_deadline()):
                message = reader.recv()
                if message is None:  # shutdown
                    return
                ticket, pid = message
                with self._lock:
                    job = self._running.get(ticket)  # gone already if it was quick
                    if job is not None:
                        job.deadline, job.pid = time.monotonic() + self.timeout, pid
                if job is not None:
                    logger.debug("Worker %d started on %s", pid, job.page.url or "a page")
            self._stop_late()

    def _until_next_deadline(self) -> float | None:
        with self._lock:
            deadlines = [job.deadline for job in self._running.values()
                         if job.deadline is not None and not job.timed_out]
        # At most an hour: waiting longer overflows poll() (a time limit of years is still one).
        return min(_MAX_WAIT, max(0.0, min(deadlines) - time.monotonic())) if deadlines else None

    def _stop_late(self) -> None:
        now = time.monotonic()
        with self._lock:  # held while killing, so the page cannot settle and its worker take another
            for job in self._running.values():
                if job.deadline is not None and job.deadline <= now and not job.timed_out:
                    job.timed_out = True
                    logger.warning("%s took longer than %g s to clean: stopping its worker",
                                   job.page.url or "A page", self.timeout)
                    try:
                        os.kill(job.pid, getattr(signal, "SIGKILL", signal.SIGTERM))
                    except ProcessLookupError:
                        pass


def time_limit(seconds: float | None) -> float:
    """A page's time limit in seconds: 0 (no limit) for None, 0, a negative value, NaN or infinity."""
    return seconds if seconds and math.isfinite(seconds) and seconds > 0 else 0.0


def _fail(outer: Future, reason: str, message: str) -> None:
    _resolve(outer, error=NotAnArticle(reason, message))


def _resolve(outer: Future, result: Article | None = None, error: BaseException | None = None) -> None:
    """Settle a page's future, unless its caller cancelled it meanwhile (nobody waits for it then)."""
    try:
        if error is not None:
            outer.set_exception(error)
        else:
            outer.set_result(result)
    except InvalidStateError:
        pass


def _as_not_an_article(exc: BaseException) -> NotAnArticle:
    """What an exception out of cleaning means for the page: a bug or a page beyond the parsers."""
    if isinstance(exc, NotAnArticle):
        return exc
    return NotAnArticle("error", f"cleaning failed: {type(exc).__name__}: {exc}")
