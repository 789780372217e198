"""`scrapy crawl articles`: fetch news pages over HTTP(S) and let newsclean turn each into an article.

Tell it which pages to fetch with one or more of (any combination works, at least one is needed)::

    scrapy crawl articles -a urls=https://example.com/a,https://example.com/b -O clean.jsonl
    scrapy crawl articles -a urls_file=urls.txt -O clean.jsonl
    scrapy crawl articles -a sitemap=https://example.com/news-sitemap.xml -O clean.jsonl

- ``urls``: page URLs, separated by commas.
- ``urls_file``: a text file with one page URL per line; blank lines and lines starting with ``#``
  are skipped.
- ``sitemap``: sitemap URLs, separated by commas, read by Scrapy's own ``SitemapSpider``: XML
  sitemaps (plain or gzipped), news sitemaps (a urlset with ``news:`` tags), sitemap index files
  (followed to the sitemaps they list), and a ``robots.txt`` URL (its ``Sitemap:`` lines are
  followed). Every page URL a sitemap lists is fetched.

A URL given more than once (say in ``urls`` and in a sitemap) is fetched once. Each HTML response
becomes an item ``{"url": ..., "html": ...}`` (the field names follow ``NEWSCLEAN_URL_FIELD`` and
``NEWSCLEAN_HTML_FIELD``) that the newsclean pipeline cleans; responses that are not HTML (PDFs,
images, JSON, …) are skipped with a log line and counted in the ``newsclean/skipped/not_html`` stat.

The spider overrides no setting: robots.txt (``ROBOTSTXT_OBEY``, on in the bundled project),
``DOWNLOAD_DELAY``, AutoThrottle, concurrency and the rest apply as the project sets them. It only
puts a fixed copy of Scrapy's robots.txt middleware in the place of Scrapy's own (see
``RobotsTxtMiddleware`` below), unless the project has already replaced or disabled that one.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from urllib.parse import urlparse

import scrapy
from scrapy.downloadermiddlewares import robotstxt
from scrapy.http import HtmlResponse
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.spiders import SitemapSpider
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import load_object
from twisted.internet.defer import DeferredLock

from newsclean.pipelines.config import Config

USAGE = ("the articles spider needs pages to fetch: -a urls=URL,URL  and/or  -a urls_file=FILE  "
         "and/or  -a sitemap=URL")


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _read_urls_file(path: str) -> list[str]:
    file = Path(path)
    if not file.is_file():
        raise ValueError(f"urls_file {path!r}: no such file ({file.resolve()})")
    lines = (line.strip() for line in file.read_text(encoding="utf-8-sig").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _check_urls(urls: list[str], where: str) -> list[str]:
    for url in urls:
        if not urlparse(url).scheme:
            raise ValueError(f"{where}: {url!r} is not a URL (it needs a scheme, e.g. https://)")
    return urls


class RobotsTxtMiddleware(robotstxt.RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with a host's robots.txt looked up by one request at a time
    until it is known.

    In Scrapy 2.19 (checked; since its lookup awaits a shared Deferred), the requests that reach the
    middleware while a host's robots.txt is still downloading all await one Deferred, which hands the
    parsed robots.txt to the first of them only: the others get None, read as "no robots.txt", and are
    fetched unchecked even where robots.txt forbids them. A spider that starts with many URLs on one
    host hits this at once. Here the first lookup per host runs alone; the rest then find the parsed
    robots.txt (or its absence) already known. Everything else is Scrapy's: ROBOTSTXT_OBEY,
    ROBOTSTXT_PARSER, ROBOTSTXT_USER_AGENT, the stats and the log lines.
    """

    def __init__(self, crawler):
        super().__init__(crawler)
        self._first_lookup: dict[str, DeferredLock] = {}
        self._looked_up: set[str] = set()

    async def robot_parser(self, request):
        netloc = urlparse_cached(request).netloc
        if netloc in self._looked_up:
            return await super().robot_parser(request)
        lock = self._first_lookup.setdefault(netloc, DeferredLock())
        await maybe_deferred_to_future(lock.acquire())
        try:
            return await super().robot_parser(request)
        finally:
            self._looked_up.add(netloc)
            lock.release()


class ArticlesSpider(SitemapSpider):
    name = "articles"
    # Every page a sitemap lists is a candidate article.
    sitemap_rules = [("", "parse_article")]

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
        if any(load_object(key) is robotstxt.RobotsTxtMiddleware for key in middlewares):
            return  # the project set Scrapy's robots.txt middleware itself (moved, replaced or disabled)
        for key, order in settings.getdict("DOWNLOADER_MIDDLEWARES_BASE").items():
            if load_object(key) is robotstxt.RobotsTxtMiddleware and order is not None:
                middlewares[key] = None
                middlewares[RobotsTxtMiddleware] = order
                # At spider priority, as custom_settings would be (at a lower one, `scrapy crawl`
                # overwrites it when it merges its own settings in); the project's entries are kept.
                priority = max(settings.getpriority("DOWNLOADER_MIDDLEWARES") or 0, SETTINGS_PRIORITIES["spider"])
                settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority=priority)
                break

    def __init__(self, urls: str | None = None, urls_file: str | None = None, sitemap: str | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        self.page_urls = _check_urls(_split(urls), "urls")
        if urls_file:
            self.page_urls += _check_urls(_read_urls_file(urls_file), f"urls_file {urls_file!r}")
        self.sitemap_urls = _check_urls(_split(sitemap), "sitemap")
        if not self.page_urls and not self.sitemap_urls:
            raise ValueError(USAGE)

    @cached_property
    def newsclean(self) -> Config:
        """newsclean's settings: the field names it reads the page from."""
        return Config.from_settings(self.crawler.settings)

    async def start(self):
        for url in self.page_urls:
            yield scrapy.Request(url, callback=self.parse_article)
        async for request in super().start():  # the sitemaps, through SitemapSpider
            yield request

    def parse_article(self, response):
        if not isinstance(response, HtmlResponse):
            self.logger.info("Skipping %s: not HTML (Content-Type: %s)", response.url,
                             (response.headers.get("Content-Type") or b"none").decode("latin-1"))
            self.crawler.stats.inc_value("newsclean/skipped/not_html")
            return
        config = self.newsclean
        # The page as text, not bytes: response.text is decoded exactly as Scrapy decodes (BOM, then
        # the Content-Type header's charset, then <meta charset>, then detection). The item could carry
        # only the bytes, and newsclean would decode them the same way but without the header, which it
        # never sees: a page whose charset is declared only in the header would come out garbled.
        yield {
            config.url_field: response.url,
            config.html_field: response.text,
        }
