"""The Scrapy add-on: ``ADDONS = {"newsclean.Addon": 300}`` is all a project needs."""

from __future__ import annotations

from scrapy.settings import BaseSettings

#: Where the cleaning pipeline sits among a project's item pipelines.
PIPELINE_PRIORITY = 300


class Addon:
    """Enables newsclean's pipeline and writes feeds in UTF-8; a project's own settings still win."""

    def update_settings(self, settings: BaseSettings) -> None:
        from newsclean.pipelines import CleanPipeline

        pipelines = settings.getdict("ITEM_PIPELINES")
        if CleanPipeline not in pipelines and "newsclean.pipelines.CleanPipeline" not in pipelines:
            settings["ITEM_PIPELINES"][CleanPipeline] = PIPELINE_PRIORITY
        # Articles are in every language: keep them readable in the feed unless the project chose.
        settings.set("FEED_EXPORT_ENCODING", "utf-8", priority="addon")
