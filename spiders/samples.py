"""`scrapy crawl samples`: replay every saved page in a folder as an item, offline.

`.txt` files are raw page text and become ``{"url", "raw_text"}`` items; `.html`/`.htm` files become
``{"url", "html"}`` items. The folder is ``-a path=DIR``, else the ``samples/`` folder beside the
project's scrapy.cfg.
"""

from __future__ import annotations

from pathlib import Path

import scrapy
from scrapy.utils.conf import closest_scrapy_cfg

RAW_TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}


class SamplesSpider(scrapy.Spider):
    name = "samples"
    custom_settings = {"ROBOTSTXT_OBEY": False}  # file:// has no robots.txt

    def __init__(self, path: str | None = None, **kwargs):
        super().__init__(**kwargs)
        cfg = closest_scrapy_cfg()
        self.folder = Path(path) if path else Path(cfg).parent / "samples" if cfg else Path("samples")

    async def start(self):
        if not self.folder.is_dir():
            raise FileNotFoundError(f"no samples folder at {self.folder.resolve()} (pass -a path=DIR)")
        for file in sorted(self.folder.iterdir()):
            if file.suffix in RAW_TEXT_SUFFIXES | HTML_SUFFIXES:
                yield scrapy.Request(file.resolve().as_uri(), callback=self.parse_page,
                                     cb_kwargs={"suffix": file.suffix})

    def parse_page(self, response, suffix: str):
        if suffix in RAW_TEXT_SUFFIXES:
            # Saved raw text is UTF-8: don't let a guess at its encoding decide.
            yield {"url": response.url, "raw_text": response.body.decode("utf-8", errors="replace")}
        else:
            yield {"url": response.url, "html": response.body}
