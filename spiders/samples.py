"""`scrapy crawl samples`: replay every saved page in a folder as an item, offline.

`.txt` files are raw page text and become ``{"url", "raw_text"}`` items; `.html`/`.htm` files become
``{"url", "html"}`` items, in any case, as `newsclean clean DIR` reads them (raw text decoded as it
decodes it). The folder is ``-a path=DIR``, else the ``samples/`` folder beside the project's
scrapy.cfg.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import scrapy
from scrapy.utils.conf import closest_scrapy_cfg

from newsclean import inputs
from newsclean.decode import decode_text
from newsclean.pipelines.config import Config


class SamplesSpider(scrapy.Spider):
    name = "samples"
    custom_settings = {"ROBOTSTXT_OBEY": False}  # file:// has no robots.txt

    def __init__(self, path: str | None = None, **kwargs):
        super().__init__(**kwargs)
        cfg = closest_scrapy_cfg()
        self.folder = Path(path) if path else Path(cfg).parent / "samples" if cfg else Path("samples")

    @cached_property
    def newsclean(self) -> Config:
        """newsclean's settings: the field names it reads the page from."""
        return Config.from_settings(self.crawler.settings)

    async def start(self):
        if not self.folder.is_dir():
            raise FileNotFoundError(f"no samples folder at {self.folder.resolve()} (pass -a path=DIR)")
        for file in sorted(self.folder.iterdir()):
            kind = inputs.kind_of(file.name)  # the files `newsclean clean DIR` reads, read as it reads them
            if kind in inputs.FOLDER_KINDS:
                yield scrapy.Request(file.resolve().as_uri(), callback=self.parse_page, cb_kwargs={"kind": kind})

    def parse_page(self, response, kind: str):
        config = self.newsclean
        if kind == inputs.TEXT:
            # Saved raw text: don't let Scrapy's guess at its encoding decide.
            yield {config.url_field: response.url, config.raw_text_field: decode_text(response.body)}
        else:
            yield {config.url_field: response.url, config.html_field: response.body}
