"""Shared by the tests: the saved samples, their expected records, and a crawl run in-process."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import scrapy
from scrapy import signals
from scrapy.crawler import AsyncCrawlerRunner

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SAMPLE_FILES = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".html"))
RAW_TEXT_SAMPLES = [p for p in SAMPLE_FILES if p.suffix == ".txt"]


def expected(sample: Path) -> dict:
    return json.loads((SAMPLES / "expected" / f"{sample.stem}.json").read_text(encoding="utf-8"))


def _squeeze(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", text).split())


def mismatches(record: dict, gold: dict) -> list[str]:
    """How a clean record falls short of its expected record (white space aside), as readable lines."""
    problems = []
    got = [_squeeze(p) for p in (record.get("text") or "").split("\n") if p.strip()]
    want = [_squeeze(p) for p in gold["paragraphs"]]
    allowed = set(want) | {_squeeze(p) for p in gold["optional"]}
    problems += [f"missing: {p[:80]!r}" for p, s in zip(gold["paragraphs"], want) if s not in got]
    problems += [f"extra: {p[:80]!r}" for p in got if p not in allowed]
    kept = [p for p in got if p in want]
    if kept != [p for p in want if p in kept]:
        problems.append("paragraphs out of order")
    body = _squeeze(record.get("text") or "")
    for drop in gold["must_drop"]:
        text = _squeeze(drop["text"])
        if (text in body) if len(drop["text"]) >= 25 else (text in got):
            problems.append(f"kept {drop['category']}: {drop['text'][:60]!r}")
    for field in ("title", "date"):
        if gold.get(field) and _squeeze(record.get(field) or "") != _squeeze(gold[field]):
            problems.append(f"{field}: {record.get(field)!r} != {gold[field]!r}")
    return problems


def test_settings(**overrides) -> dict:
    settings = {
        "ADDONS": {"newsclean.Addon": 300},
        "REMOTE_CONTROL_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "NEWSCLEAN_WORKERS": 1,
    }
    settings.update(overrides)
    return settings


test_settings.__test__ = False  # a helper, not a test


class CrawlResult:
    def __init__(self):
        self.items: list = []
        self.dropped: list[tuple[object, Exception]] = []
        self.stats: dict = {}
        self.crawler = None

    def on_scraped(self, item, **kwargs):
        self.items.append(item)

    def on_dropped(self, item, exception, **kwargs):
        self.dropped.append((item, exception))


async def crawl_items(items, **settings) -> CrawlResult:
    """Run a real crawl whose spider yields `items` from start(), with newsclean enabled."""

    class ItemsSpider(scrapy.Spider):
        name = "items"

        async def start(self):
            for item in items:
                yield item

    result = CrawlResult()
    runner = AsyncCrawlerRunner(test_settings(**settings))
    crawler = runner.create_crawler(ItemsSpider)
    crawler.signals.connect(result.on_scraped, signal=signals.item_scraped)
    crawler.signals.connect(result.on_dropped, signal=signals.item_dropped)
    result.crawler = crawler
    await runner.crawl(crawler)
    result.stats = crawler.stats.get_stats()
    return result
