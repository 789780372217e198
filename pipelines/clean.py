"""The item pipeline: every item carrying a page leaves as a clean article, or is dropped with a reason."""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import logging
import threading
from concurrent.futures import Future
from typing import NoReturn

from itemadapter import ItemAdapter, is_item
from scrapy import Item
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.asyncio import is_asyncio_available
from scrapy.utils.reactor import is_reactor_installed
from twisted.internet.defer import Deferred
from twisted.internet.threads import deferToThread

from newsclean.decode import as_kept, as_url
from newsclean.page import Article, NotAnArticle, page_from_fields
from newsclean.pool import CleanerPool, check_not_starting_a_worker

from .config import Config

logger = logging.getLogger(__name__)


class CleanPipeline:
    """Cleans the page an item carries (`html` and/or `raw_text`) into article fields on the same item.

    Stats, all under ``newsclean/``: ``items`` (received), ``cleaned``, ``source/html`` and
    ``source/text`` (which path produced the article), ``dropped/<reason>`` for every drop.
    """

    def __init__(self, crawler: Crawler):
        check_not_starting_a_worker()
        self.config = Config.from_settings(crawler.settings)
        if not self.config.enabled:
            raise NotConfigured("NEWSCLEAN_ENABLED is False")
        self.crawler = crawler
        read = {self.config.html_field: "page", self.config.raw_text_field: "page", self.config.url_field: "url"}
        for name, what in read.items():
            if name in Article.FIELDS:
                logger.warning("newsclean reads the %s from the field %r and writes the article's %s there too: "
                               "one of them is lost", what, name, name)
        self.stats = crawler.stats
        self.pool: CleanerPool | None = None
        self._froze = False
        self._checked_classes: dict[type, list[str]] = {}
        self._read_only: dict[type, str] = {}  # item classes that refused a field: why

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.pool = CleanerPool(self.config.workers, self.config.options, timeout=self.config.timeout,
                                removed=self.config.explain)
        self._forced_stop = None
        if is_reactor_installed():  # not in Scrapy's mode without one (TWISTED_REACTOR_ENABLED = False)
            from twisted.internet import reactor  # here: importing it installs the default reactor

            # A crawl forced to stop (a second Ctrl-C) stops the reactor without closing the spider: the
            # workers are killed then, or the process would wait for their pages on its way out.
            self._forced_stop = reactor.addSystemEventTrigger("before", "shutdown", self.pool.shutdown, kill=True)
        if self.config.gc_freeze:
            # Pages wait here for a worker, so the crawl holds more objects than Scrapy alone, and each
            # full garbage collection also scans the ~100k objects of Scrapy's and the project's start-up
            # (modules, classes, settings): 70-100 ms with the event loop stalled. Those live as long as
            # the crawl: out of the collector's view, a full collection takes ~15 ms.
            _freeze()
            self._froze = True

    async def close_spider(self) -> None:
        try:
            if self.pool is not None:
                if self._forced_stop is not None:
                    from twisted.internet import reactor

                    reactor.removeSystemEventTrigger(self._forced_stop)
                await self._stop_workers()
        finally:  # a forced stop cancels the wait for the workers
            if self._froze:
                self._froze = False
                _unfreeze()

    async def _stop_workers(self) -> None:
        """The workers finish the pages they are on: waited for in a thread, so that the event loop runs
        meanwhile, and a second Ctrl-C can still stop the crawl at once (and kill them)."""
        if not is_asyncio_available():
            await deferToThread(self.pool.shutdown)
            return
        await self._killed_if_cancelled(asyncio.to_thread(self.pool.shutdown))

    async def _clean(self, page) -> Article:
        return await self._killed_if_cancelled(_wait(self.pool.submit(page)))

    async def _killed_if_cancelled(self, awaitable):
        """Without a reactor, Scrapy's forced stop (a second Ctrl-C) cancels the crawl's tasks, those
        waiting for a page or for the workers to finish: the workers are killed then, as the reactor's
        shutdown trigger kills them elsewhere, or the process would wait for their pages on its way out."""
        try:
            return await awaitable
        except asyncio.CancelledError:
            if self._forced_stop is None:
                self.pool.shutdown(kill=True)
            raise

    async def process_item(self, item):
        self.stats.inc_value("newsclean/items")
        config = self.config
        url = None
        try:
            if not is_item(item):  # what a pipeline before this one returned by mistake (None)
                raise NotAnArticle("no_input", f"{type(item).__name__} is no item: it carries no page")
            adapter = ItemAdapter(item)
            url = as_url(adapter.get(config.url_field))  # as text: bytes decoded, lone surrogates mended
            self._check_class(item)
            page = page_from_fields(url, adapter.get(config.html_field), adapter.get(config.raw_text_field))
            article: Article = await self._clean(page)
            self._write(item, adapter, article, url)
        except NotAnArticle as exc:
            self._drop(exc, url)
        except Exception as exc:  # noqa: BLE001 - a bug of ours: the item is still counted, as an error
            logger.exception("newsclean failed on %s", url or "an item without url")
            self._drop(NotAnArticle("error", f"newsclean failed: {type(exc).__name__}: {exc}"), url)
        self.stats.inc_value("newsclean/cleaned")
        self.stats.inc_value(f"newsclean/source/{article.source}")
        return item

    def _drop(self, exc: NotAnArticle, url: object) -> NoReturn:
        self.stats.inc_value(f"newsclean/dropped/{exc.reason}")
        raise DropItem(f"newsclean dropped {url or 'an item without url'}: {exc.message}") from None

    def _write(self, item, adapter: ItemAdapter, article: Article, url: object) -> None:
        """The article's fields onto the item; the input fields gone (or kept), and what newsclean read
        of the item made fit for a feed to write (`url` as text, lone surrogates as U+FFFD)."""
        config = self.config
        record = article.record(explain=config.explain)
        for name, value in record.items():
            try:
                adapter[name] = value
            except _FROZEN as exc:  # a frozen dataclass or attrs item takes no field
                why = f"{type(item).__name__} items cannot be written to ({type(exc).__name__}: {exc})"
                self._read_only[type(item)] = why  # the next ones are dropped before they are cleaned
                logger.error("newsclean: %s", why)
                raise NotAnArticle("read_only_item", why) from None
            except Exception as exc:  # noqa: BLE001 - the item's own check of this value (an attrs validator)
                raise NotAnArticle("rejected_field", f"{type(item).__name__} item rejected its {name} "
                                                     f"{_short(value)}: {type(exc).__name__}: {exc}") from None
        if url is not adapter.get(config.url_field):
            adapter[config.url_field] = url
        for name, field in ((config.html_field, "html"), (config.raw_text_field, "raw_text")):
            if name not in adapter or name in record:  # an input field named as an output one holds the output
                continue
            if config.keep_input:
                adapter[name] = as_kept(adapter[name], field)
            elif isinstance(item, (dict, Item)):
                del adapter[name]
            else:  # a dataclass or attrs item keeps its attributes: deleting one breaks it (its repr, for one)
                adapter[name] = None

    def _output_fields(self) -> list[str]:
        return list(Article.FIELDS) + (["removed"] if self.config.explain else [])

    def _check_class(self, item) -> None:
        """Items of a class with declared fields must declare the ones newsclean writes, and take them."""
        cls = type(item)
        if cls not in self._checked_classes:
            declared = ItemAdapter.get_field_names_from_class(cls)
            missing = [] if declared is None else [f for f in self._output_fields() if f not in declared]
            self._checked_classes[cls] = missing
            if missing:
                logger.error("newsclean cannot write to %s items: declare the fields %s on %s (or yield dicts)",
                             cls.__name__, ", ".join(missing), cls.__name__)
        missing = self._checked_classes[cls]
        if missing:
            raise NotAnArticle("undeclared_fields",
                               f"{cls.__name__} lacks the fields newsclean writes: declare {', '.join(missing)}")
        if cls in self._read_only:
            raise NotAnArticle("read_only_item", self._read_only[cls])


# What a frozen dataclass or attrs instance raises when a field is set (an AttributeError, as a converter
# or validator may raise on one value).
_FROZEN: tuple[type[Exception], ...] = (dataclasses.FrozenInstanceError,)
try:
    import attrs.exceptions

    _FROZEN += (attrs.exceptions.FrozenInstanceError,)
except ImportError:  # attrs is optional (itemadapter supports it when installed)
    pass

# Crawls in one process freeze the collector's view for all of them: only the last to close unfreezes.
_freezes = 0
_freezes_lock = threading.Lock()


def _freeze() -> None:
    global _freezes
    with _freezes_lock:
        _freezes += 1
        gc.collect()
        gc.freeze()


def _unfreeze() -> None:
    global _freezes
    with _freezes_lock:
        _freezes -= 1
        if not _freezes:
            gc.unfreeze()


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:80]}…"


def _wait(future: Future):
    """Await a concurrent future on an asyncio loop (Scrapy's asyncio reactor, or no reactor) or on
    another Twisted reactor."""
    if is_asyncio_available():
        return asyncio.wrap_future(future)
    # Imported here, not at the top: importing twisted.internet.reactor installs the default reactor,
    # and a project's settings.py may import this module before Scrapy installs the one it configured.
    from twisted.internet import reactor

    deferred: Deferred = Deferred()

    def fire(done: Future) -> None:
        exc = done.exception()
        if exc is not None:
            deferred.errback(exc)
        else:
            deferred.callback(done.result())

    future.add_done_callback(lambda done: reactor.callFromThread(fire, done))
    return deferred
