"""The pipeline in real crawls: item types, the output contract, drops with reasons, settings."""

import gc
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field, fields, make_dataclass

import attrs
import pytest
import scrapy
from helpers import RAW_TEXT_SAMPLES, SAMPLE_FILES, crawl_items, expected, mismatches
from scrapy.settings import Settings
from scrapy.utils.defer import deferred_f_from_coro_f
from scrapy.utils.test import get_crawler

from newsclean.pipelines import CleanPipeline
from newsclean.pipelines.config import Config

SAMPLE = RAW_TEXT_SAMPLES[0]
HTML_SAMPLE = next(p for p in SAMPLE_FILES if p.suffix == ".html")
URL = SAMPLE.as_uri()
RAW = SAMPLE.read_text(encoding="utf-8")
OUTPUT = ("title", "text", "date", "author", "sitename", "language")


class DeclaredItem(scrapy.Item):
    url = scrapy.Field()
    raw_text = scrapy.Field()
    title = scrapy.Field()
    text = scrapy.Field()
    date = scrapy.Field()
    author = scrapy.Field()
    sitename = scrapy.Field()
    language = scrapy.Field()


class UndeclaredItem(scrapy.Item):
    url = scrapy.Field()
    raw_text = scrapy.Field()
    text = scrapy.Field()


@dataclass
class DataclassItem:
    url: str
    raw_text: str | None = None
    title: str | None = None
    text: str | None = None
    date: str | None = None
    author: str | None = None
    sitename: str | None = None
    language: str | None = None


@attrs.define
class AttrsItem:
    url: str
    raw_text: str | None = None
    title: str | None = None
    text: str | None = None
    date: str | None = None
    author: str | None = None
    sitename: str | None = None
    language: str | None = None


def assert_accounted(result):
    stats = result.stats
    dropped = sum(v for k, v in stats.items() if k.startswith("newsclean/dropped/"))
    assert stats["newsclean/items"] == stats.get("newsclean/cleaned", 0) + dropped
    assert len(result.items) == stats.get("newsclean/cleaned", 0)
    assert len(result.dropped) == dropped


@deferred_f_from_coro_f
async def test_every_item_type_comes_out_clean():
    items = [{"url": URL, "raw_text": RAW}, DeclaredItem(url=URL, raw_text=RAW),
             DataclassItem(url=URL, raw_text=RAW), AttrsItem(url=URL, raw_text=RAW)]
    result = await crawl_items(items)
    assert len(result.items) == 4 and not result.dropped
    from itemadapter import ItemAdapter
    for item in result.items:
        record = ItemAdapter(item).asdict()
        assert mismatches(record, expected(SAMPLE)) == []
        assert record["language"] == "en"
        assert set(OUTPUT) <= set(record)
        assert "raw_text" not in record or record["raw_text"] is None  # input fields go
    assert {type(i) for i in result.items} == {dict, DeclaredItem, DataclassItem, AttrsItem}
    assert_accounted(result)


@deferred_f_from_coro_f
async def test_an_item_class_without_the_output_fields_is_dropped_with_the_fields_to_declare():
    result = await crawl_items([UndeclaredItem(url=URL, raw_text=RAW), {"url": URL, "raw_text": RAW}])
    assert len(result.items) == 1
    [(_, exc)] = result.dropped
    assert "UndeclaredItem" in str(exc)
    for name in ("title", "date", "author", "sitename", "language"):
        assert name in str(exc)
    assert result.stats["newsclean/dropped/undeclared_fields"] == 1
    assert_accounted(result)


@deferred_f_from_coro_f
async def test_bad_items_are_dropped_with_a_counted_reason():
    nav_only = "\n".join(["Home", "World", "Business", "Sport", "Contact us", "© 2024 Example Media"])
    items = [{}, {"url": URL}, {"url": URL, "raw_text": "   \n  "}, {"url": URL, "raw_text": 42},
             {"url": URL, "html": ["not", "html"]}, {"url": URL, "raw_text": nav_only},
             {"url": URL, "raw_text": RAW}]
    result = await crawl_items(items)
    assert len(result.items) == 1
    stats = result.stats
    assert stats["newsclean/dropped/no_input"] == 5
    assert stats["newsclean/dropped/empty"] == 1
    reasons = [str(exc) for _, exc in result.dropped]
    assert any("raw_text is a int" in r for r in reasons)
    assert any("html is a list" in r for r in reasons)
    assert any("nothing was left after cleaning" in r for r in reasons)
    assert_accounted(result)


# The same fields, in classes whose instances take no field once made.
FrozenItem = make_dataclass("FrozenItem", [(f.name, f.type, field(default=f.default)) for f in fields(DataclassItem)],
                            frozen=True)
FrozenAttrsItem = attrs.make_class(
    "FrozenAttrsItem", {a.name: attrs.field(default=a.default) for a in attrs.fields(AttrsItem)}, frozen=True)


@deferred_f_from_coro_f
async def test_items_that_take_no_field_are_dropped_with_a_counted_reason():
    items = [FrozenItem(url=URL, raw_text=RAW), FrozenItem(url=URL, raw_text=RAW),
             FrozenAttrsItem(url=URL, raw_text=RAW), {"url": URL, "raw_text": RAW}]
    result = await crawl_items(items)
    assert len(result.items) == 1
    assert result.stats["newsclean/dropped/read_only_item"] == 3
    assert all("items cannot be written to" in str(exc) for _, exc in result.dropped)
    assert_accounted(result)


# A class whose items check their values: a title must be text.
ValidatedItem = attrs.make_class("ValidatedItem", {
    a.name: attrs.field(default="", validator=attrs.validators.instance_of(str)) if a.name == "title"
    else attrs.field(default=a.default) for a in attrs.fields(AttrsItem)}, on_setattr=attrs.setters.validate)
# One whose converter fails on a missing title with an AttributeError, as setting a frozen item's field does.
StrippedItem = attrs.make_class("StrippedItem", {
    a.name: attrs.field(default="", converter=lambda value: value.strip()) if a.name == "title"
    else attrs.field(default=a.default) for a in attrs.fields(AttrsItem)}, on_setattr=attrs.setters.convert)


@pytest.mark.parametrize("item_class", [ValidatedItem, StrippedItem], ids=lambda cls: cls.__name__)
@deferred_f_from_coro_f
async def test_an_item_that_rejects_a_value_is_dropped_alone_and_its_class_still_takes_the_others(item_class):
    untitled = "Flood warnings were issued for three rivers on Tuesday as heavy rain moved across the region."
    items = [item_class(url=URL + "?untitled", raw_text=untitled), item_class(url=URL, raw_text=RAW)]
    result = await crawl_items(items, NEWSCLEAN_WORKERS=0)  # inline: the untitled page settles first
    assert [item.url for item in result.items] == [URL] and result.items[0].title
    [(_, exc)] = result.dropped
    assert f"{item_class.__name__} item rejected its title None" in str(exc)
    assert result.stats["newsclean/dropped/rejected_field"] == 1
    assert_accounted(result)


class _ReturnsNothing:
    """A pipeline before newsclean's with a bug: it returns None for some items."""

    def process_item(self, item):
        return None if "nothing" in item["url"] else item


@deferred_f_from_coro_f
async def test_a_non_item_from_a_pipeline_before_is_dropped_and_counted():
    items = [{"url": URL + "?nothing", "raw_text": RAW}, {"url": URL, "raw_text": RAW}]
    result = await crawl_items(items, ITEM_PIPELINES={_ReturnsNothing: 100})
    assert len(result.items) == 1 and result.stats["newsclean/dropped/no_input"] == 1
    assert "NoneType is no item" in str(result.dropped[0][1])
    assert_accounted(result)


@deferred_f_from_coro_f
async def test_a_dataclass_or_attrs_item_keeps_its_input_attributes_set_to_none():
    result = await crawl_items([DataclassItem(url=URL, raw_text=RAW), AttrsItem(url=URL, raw_text=RAW)])
    for item in result.items:
        assert item.raw_text is None and item.text
        assert "raw_text=None" in repr(item)  # a deleted attribute would break its repr, and any later reader


@deferred_f_from_coro_f
async def test_the_feed_writes_every_item_whatever_surrogates_or_bytes_its_url_or_kept_input_holds(tmp_path):
    feed = tmp_path / "feed.jsonl"
    items = [{"url": URL + "?q=\udc80", "raw_text": RAW}, {"url": URL, "raw_text": RAW.replace("Iran", "Ir\ud800an")},
             {"url": (URL + "?q=\u00e9").encode("utf-8"), "raw_text": RAW}]  # a url left as the response's bytes
    result = await crawl_items(items, NEWSCLEAN_KEEP_INPUT=True, FEEDS={str(feed): {"format": "jsonlines"}})
    lines = feed.read_bytes().decode("utf-8").splitlines()
    assert len(lines) == len(result.items) == 3
    first, second, third = map(json.loads, lines)
    assert first["url"] == URL + "?q=\ufffd"
    assert "Ir\ufffdan" in second["raw_text"]
    assert third["url"] == URL + "?q=\u00e9"


@deferred_f_from_coro_f
async def test_an_input_field_named_as_an_output_field_holds_the_output():
    result = await crawl_items([{"url": URL, "text": RAW}], NEWSCLEAN_RAW_TEXT_FIELD="text")
    [item] = result.items
    assert mismatches(item, expected(SAMPLE)) == []


@deferred_f_from_coro_f
async def test_languages_setting_drops_other_languages():
    result = await crawl_items([{"url": URL, "raw_text": RAW}], NEWSCLEAN_LANGUAGES=["de"])
    assert not result.items
    assert result.stats["newsclean/dropped/language"] == 1
    assert "'en'" in str(result.dropped[0][1])


@deferred_f_from_coro_f
async def test_a_dropped_item_is_logged_with_its_page_shortened_and_handed_on_whole(caplog):
    page = RAW * 20  # a long page: Scrapy's own formatter would log all of it
    result = await crawl_items([{"url": URL, "raw_text": page}], NEWSCLEAN_LANGUAGES=["de"])
    [record] = [r for r in caplog.records if r.getMessage().startswith("Dropped:")]
    message = record.getMessage()
    assert len(message) < 1000 and f"'raw_text': {page[:200]!r}… ({len(page):,} characters)" in message
    assert result.dropped[0][0]["raw_text"] == page  # the item_dropped signal still has the whole page


@deferred_f_from_coro_f
async def test_a_page_in_a_list_is_logged_shortened_too(caplog):
    page = RAW * 20  # an ItemLoader's field: a list, dropped as no_input
    result = await crawl_items([{"url": URL, "html": [page], "meta": {"body": page}}])
    [record] = [r for r in caplog.records if r.getMessage().startswith("Dropped:")]
    message = record.getMessage()
    assert len(message) < 1500 and message.count(f"{page[:200]!r}… ({len(page):,} characters)") == 2
    assert result.stats["newsclean/dropped/no_input"] == 1


@deferred_f_from_coro_f
async def test_languages_setting_is_read_as_the_command_line_reads_it():
    result = await crawl_items([{"url": URL, "raw_text": RAW}], NEWSCLEAN_LANGUAGES="de, EN")
    assert len(result.items) == 1


def test_a_disabled_rule_that_does_not_exist_stops_the_crawl_before_it_starts():
    with pytest.raises(ValueError, match="no rule or family of rules named 'captoin'"):
        Config.from_settings(Settings({"NEWSCLEAN_DISABLED_RULES": "caption.repeated,captoin"}))


@pytest.mark.parametrize("name, value, message", [
    ("NEWSCLEAN_LANGUAGES", "english", "NEWSCLEAN_LANGUAGES: 'english': no language code langdetect gives"),
    ("NEWSCLEAN_LANGUAGES", '["en"]', "no language code langdetect gives"),
    ("NEWSCLEAN_WORKERS", "-3", "NEWSCLEAN_WORKERS is a whole number, 0 or more, not '-3'"),
    ("NEWSCLEAN_WORKERS", "1.5", "NEWSCLEAN_WORKERS is a whole number"),
    ("NEWSCLEAN_MIN_LENGTH", "-5", "NEWSCLEAN_MIN_LENGTH is a whole number"),
    ("NEWSCLEAN_TIMEOUT", "a minute", "NEWSCLEAN_TIMEOUT is seconds, not 'a minute'"),
])
def test_a_setting_newsclean_cannot_use_stops_the_crawl_before_it_starts_naming_it(name, value, message):
    # rather than dropping every item ("english" matches no article's language) or cleaning inline
    with pytest.raises(ValueError, match=re.escape(message)):
        Config.from_settings(Settings({name: value}))


def test_a_count_written_as_a_float_in_settings_py_is_a_count():
    config = Config.from_settings(Settings({"NEWSCLEAN_WORKERS": 4.0, "NEWSCLEAN_MIN_LENGTH": "200"}))
    assert (config.workers, config.options.min_length) == (4, 200)


def test_a_language_with_a_region_is_the_language():
    assert Config.from_settings(Settings({"NEWSCLEAN_LANGUAGES": "en-US, pt_BR"})).options.languages == {"en", "pt"}


def test_the_default_workers_are_one_per_cpu_the_crawl_may_run_on():
    # A crawl pinned to one CPU (taskset, a container's cpuset) starts one worker.
    code = ("import os; os.sched_setaffinity(0, {0}); "
            "from newsclean.pipelines.config import Config; from scrapy.settings import Settings; "
            "print(Config.from_settings(Settings()).workers)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "1"


@pytest.mark.parametrize("value", ["0", "-1", "inf", "nan"])
def test_a_timeout_that_is_no_number_of_seconds_is_no_limit(value):
    assert Config.from_settings(Settings({"NEWSCLEAN_TIMEOUT": value})).timeout == 0


@deferred_f_from_coro_f
async def test_min_length_drops_short_articles():
    result = await crawl_items([{"url": URL, "raw_text": RAW}], NEWSCLEAN_MIN_LENGTH=100_000)
    assert result.stats["newsclean/dropped/too_short"] == 1


class _BuggyPipeline(CleanPipeline):
    """A bug in the pipeline (or a project's subclass of it) on some pages."""

    async def _clean(self, page):
        if "bug" in page.url:
            raise KeyError("a bug")
        return await super()._clean(page)


@deferred_f_from_coro_f
async def test_an_item_a_bug_fails_on_is_dropped_and_counted_and_the_crawl_goes_on():
    items = [{"url": URL + "?bug", "raw_text": RAW}, {"url": URL, "raw_text": RAW}]
    result = await crawl_items(items, ITEM_PIPELINES={_BuggyPipeline: 300})
    assert [item["url"] for item in result.items] == [URL]
    [(_, exc)] = result.dropped
    assert "KeyError" in str(exc) and "a bug" in str(exc)
    assert result.stats["newsclean/dropped/error"] == 1 and result.stats["newsclean/items"] == 2


@deferred_f_from_coro_f
async def test_a_crawl_closing_leaves_the_collector_frozen_for_another_crawl_still_running():
    gc.unfreeze()
    first, second = (CleanPipeline.from_crawler(get_crawler(settings_dict={"NEWSCLEAN_WORKERS": 0}))
                     for _ in range(2))
    first.open_spider()
    second.open_spider()
    await first.close_spider()
    assert gc.get_freeze_count() > 0
    await second.close_spider()
    assert gc.get_freeze_count() == 0


@deferred_f_from_coro_f
async def test_disabled_leaves_items_untouched():
    result = await crawl_items([{"url": URL, "raw_text": RAW}], NEWSCLEAN_ENABLED=False)
    assert result.items == [{"url": URL, "raw_text": RAW}]
    assert "newsclean/items" not in result.stats


@deferred_f_from_coro_f
async def test_keep_input_explain_and_field_names():
    result = await crawl_items([{"link": URL, "body": RAW}], NEWSCLEAN_KEEP_INPUT=True, NEWSCLEAN_EXPLAIN=True,
                               NEWSCLEAN_URL_FIELD="link", NEWSCLEAN_RAW_TEXT_FIELD="body")
    [item] = result.items
    assert item["body"] == RAW
    assert mismatches(item, expected(SAMPLE)) == []
    rules = {r["rule"] for r in item["removed"]}
    assert {"comments.section", "navigation.related"} <= rules and any(r.startswith("title.") for r in rules)
    assert all(set(r) == {"text", "rule"} for r in item["removed"])


@deferred_f_from_coro_f
async def test_inline_cleaning_gives_the_same_records():
    pooled = await crawl_items([{"url": URL, "raw_text": RAW}], NEWSCLEAN_WORKERS=2)
    inline = await crawl_items([{"url": URL, "raw_text": RAW}], NEWSCLEAN_WORKERS=0)
    assert pooled.items == inline.items


@deferred_f_from_coro_f
async def test_addon_sets_utf8_feeds_unless_the_project_chose():
    default = await crawl_items([])
    assert default.crawler.settings["FEED_EXPORT_ENCODING"] == "utf-8"
    chosen = await crawl_items([], FEED_EXPORT_ENCODING="latin-1")
    assert chosen.crawler.settings["FEED_EXPORT_ENCODING"] == "latin-1"


class FreezeProbe:
    """A pipeline after newsclean's that notes how many objects the garbage collector ignores."""

    seen: list[int] = []

    def process_item(self, item):
        FreezeProbe.seen.append(gc.get_freeze_count())
        return item


@deferred_f_from_coro_f
async def test_the_startup_objects_are_out_of_the_collectors_view_while_the_crawl_runs():
    probe = {"newsclean.pipelines.CleanPipeline": 300, "test_pipeline.FreezeProbe": 900}
    FreezeProbe.seen = []
    await crawl_items([{"url": URL, "raw_text": RAW}], ITEM_PIPELINES=probe)
    assert FreezeProbe.seen and FreezeProbe.seen[0] > 10_000  # Scrapy's modules, classes, settings...
    assert gc.get_freeze_count() == 0  # and back in view once the spider closed
    FreezeProbe.seen = []
    await crawl_items([{"url": URL, "raw_text": RAW}], ITEM_PIPELINES=probe, NEWSCLEAN_GC_FREEZE=False)
    assert FreezeProbe.seen == [0]


def test_addon_lowers_concurrent_items_to_what_the_pool_holds_unless_the_project_chose():
    # Scrapy holds CONCURRENT_ITEMS finished tasks per response until its items are through: fewer
    # while pages wait for a worker, but never fewer than the pool takes at once.
    from scrapy.settings import Settings

    from newsclean import Addon

    def concurrent_items(**project) -> int:
        settings = Settings(project)  # the project's own settings, at "project" priority
        Addon().update_settings(settings)
        return settings.getint("CONCURRENT_ITEMS")

    assert concurrent_items(NEWSCLEAN_WORKERS=2) == 16
    assert concurrent_items(NEWSCLEAN_WORKERS=12) == 24
    assert concurrent_items(CONCURRENT_ITEMS=40) == 40
    assert concurrent_items(NEWSCLEAN_ENABLED=False) == Settings().getint("CONCURRENT_ITEMS")


# Run in a fresh process: the forkserver is one per process, and this one's may be running already.
# A child shows the forkserver's command line once it has exec'd: until then, the caller's.
_ADDON_STARTUP = """
import json, os, sys, time
from scrapy.settings import Settings
from newsclean import Addon
Addon().update_settings(Settings(json.loads(sys.argv[1])))
pid, commands, deadline = os.getpid(), [], time.monotonic() + 30
children = open(f"/proc/{pid}/task/{pid}/children").read().split()
while children and time.monotonic() < deadline:
    commands = [open(f"/proc/{child}/cmdline", "rb").read().decode() for child in children]
    if any("forkserver" in command for command in commands):
        break
    time.sleep(0.01)
print(json.dumps(commands))
"""


@pytest.mark.parametrize("project, starts", [
    ({"NEWSCLEAN_WORKERS": 2}, True),
    ({"NEWSCLEAN_WORKERS": 0}, False),  # cleaning inline: no workers
    ({"NEWSCLEAN_ENABLED": False}, False),
    ({"ITEM_PIPELINES": {"newsclean.pipelines.clean.CleanPipeline": None}}, False),
])
def test_addon_starts_the_workers_forkserver_while_scrapy_starts_up_when_the_crawl_cleans(project, starts):
    run = subprocess.run([sys.executable, "-c", _ADDON_STARTUP, json.dumps(project)], capture_output=True,
                         text=True, check=True, timeout=60)
    children = json.loads(run.stdout)
    assert any("forkserver" in command for command in children) == starts, children


class ProjectCleanPipeline(CleanPipeline):
    """A project's own pipeline built on newsclean's (to add a field once an item is clean)."""

    async def process_item(self, item):
        item = await super().process_item(item)
        item["checked"] = True
        return item


@deferred_f_from_coro_f
@pytest.mark.parametrize("name", ["newsclean.pipelines.CleanPipeline", "newsclean.pipelines.clean.CleanPipeline",
                                  ProjectCleanPipeline])
async def test_addon_and_pipeline_path_together_clean_once(name):
    result = await crawl_items([{"url": URL, "raw_text": RAW}], ITEM_PIPELINES={name: 500})
    assert result.stats["newsclean/items"] == 1 and len(result.items) == 1


@deferred_f_from_coro_f
async def test_a_project_that_switches_the_pipeline_off_by_its_module_path_gets_no_cleaning():
    result = await crawl_items([{"url": URL, "raw_text": RAW}],
                               ITEM_PIPELINES={"newsclean.pipelines.clean.CleanPipeline": None})
    assert result.items == [{"url": URL, "raw_text": RAW}] and "newsclean/items" not in result.stats


@deferred_f_from_coro_f
async def test_kept_html_bytes_are_written_as_text(tmp_path):
    feed = tmp_path / "feed.jsonl"
    html = HTML_SAMPLE.read_bytes()
    result = await crawl_items([{"url": HTML_SAMPLE.as_uri(), "html": html}], NEWSCLEAN_KEEP_INPUT=True,
                               FEEDS={str(feed): {"format": "jsonlines"}})
    [record] = map(json.loads, feed.read_text(encoding="utf-8").splitlines())
    assert record["html"] == html.decode("utf-8") and result.stats["newsclean/cleaned"] == 1
