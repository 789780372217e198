"""The Scrapy add-on: ``ADDONS = {"newsclean.Addon": 300}`` is all a project needs."""

from __future__ import annotations

from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object

#: Where the cleaning pipeline sits among a project's item pipelines.
PIPELINE_PRIORITY = 300
#: CONCURRENT_ITEMS unless the project sets it (see update_settings); more when the pool holds more.
CONCURRENT_ITEMS = 16


class Addon:
    """Enables newsclean's pipeline, writes feeds in UTF-8, shortens the pages of dropped items in the log
    and lowers CONCURRENT_ITEMS; a project's own settings still win."""

    def update_settings(self, settings: BaseSettings) -> None:
        from newsclean.pipelines import CleanPipeline
        from newsclean.pipelines.config import DEFAULTS, worker_count
        from newsclean.pool import QUEUED_PER_WORKER, check_not_starting_a_worker, start_forkserver

        check_not_starting_a_worker()

        # The project's own entry wins (a priority, or None to switch it off), however it names the class,
        # and so does a subclass of it: one pipeline cleans.
        entries = [priority for key, priority in settings.getdict("ITEM_PIPELINES").items()
                   if _is_cleaning(load_object(key), CleanPipeline)]
        if not entries:
            settings["ITEM_PIPELINES"][CleanPipeline] = PIPELINE_PRIORITY
        switched_off = bool(entries) and all(priority is None for priority in entries)
        # Articles are in every language: keep them readable in the feed unless the project chose.
        settings.set("FEED_EXPORT_ENCODING", "utf-8", priority="addon")
        # A dropped item is logged with the page it carries: shortened, unless the project has its own formatter.
        settings.set("LOG_FORMATTER", "newsclean.pipelines.logformatter.LogFormatter", priority="addon")
        # Scrapy runs a response's items through the pipelines with CONCURRENT_ITEMS tasks (100 by
        # default), and keeps them all, finished, until the last item is through. Pages wait here for a
        # worker, so dozens of responses are held at once: thousands of dead tasks that make each full
        # garbage collection of the crawl process take over 100 ms, stalling its event loop. Items the
        # pool cannot take yet gain nothing from being in flight.
        if settings.getbool("NEWSCLEAN_ENABLED", DEFAULTS["NEWSCLEAN_ENABLED"]):
            workers = worker_count(settings)
            settings.set("CONCURRENT_ITEMS", max(CONCURRENT_ITEMS, workers * QUEUED_PER_WORKER), priority="addon")
            # The workers' forkserver loads the cleaner while Scrapy loads its components: the crawl's
            # first pages are cleaned 0.3 s sooner than if the pipeline started it when the spider opens.
            if workers > 0 and not switched_off:
                start_forkserver()


def _is_cleaning(component: object, pipeline: type) -> bool:
    return isinstance(component, type) and issubclass(component, pipeline)
