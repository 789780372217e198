"""Faults in real crawls: a page past the time limit, Ctrl-C in the middle of a crawl, a crawl or a
`newsclean clean` killed outright (no worker may outlive it), and a project whose settings.py imports
the pipeline before Scrapy installs its reactor."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from helpers import RAW_TEXT_SAMPLES, SAMPLE_FILES, crawl_items, expected, mismatches
from scrapy.utils.defer import deferred_f_from_coro_f

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds processes through /proc")


def assert_accounted(stats: dict) -> None:
    dropped = sum(v for k, v in stats.items() if k.startswith("newsclean/dropped/"))
    assert stats["newsclean/items"] == stats.get("newsclean/cleaned", 0) + dropped


def long_report(paragraphs: int) -> str:
    """An article of many short paragraphs: trafilatura takes seconds on 20,000 of them (2 MB)."""
    body = "".join(f"<p>Paragraph {i} of the long report says the committee heard evidence from witness {i} "
                   f"about the harbour.</p>" for i in range(paragraphs))
    return f"<html><head><title>The long report</title></head><body><article>{body}</article></body></html>"


def sample_item(sample: Path) -> dict:
    field = "html" if sample.suffix == ".html" else "raw_text"
    return {"url": sample.as_uri(), field: sample.read_text(encoding="utf-8")}


@deferred_f_from_coro_f
async def test_a_page_past_the_time_limit_is_dropped_and_the_crawl_goes_on():
    slow_url = "https://example.com/news/the-long-report"
    items = [sample_item(s) for s in SAMPLE_FILES[:3]] + [{"url": slow_url, "html": long_report(20_000)}] \
        + [sample_item(s) for s in SAMPLE_FILES[3:]]
    started = time.monotonic()
    result = await crawl_items(items, NEWSCLEAN_WORKERS=2, NEWSCLEAN_TIMEOUT=1)
    assert time.monotonic() - started < 30
    stats = result.stats
    assert stats["newsclean/dropped/timeout"] == 1
    [(item, exc)] = result.dropped
    assert item["url"] == slow_url and "longer than 1 s" in str(exc)
    assert stats["newsclean/cleaned"] == len(SAMPLE_FILES)
    records = {item["url"]: item for item in result.items}
    for sample in SAMPLE_FILES:
        assert mismatches(records[sample.as_uri()], expected(sample)) == [], sample.name
    assert_accounted(stats)


# Processes, through /proc ----------------------------------------------------------------------------

def process_table() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every live process we can see."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone meanwhile
            continue
        if stat[0] != "Z":
            table[int(entry.name)] = (int(stat[1]), cmdline)
    return table


def pool_processes(root: int) -> set[int]:
    """The multiprocessing processes under `root`: the forkserver, the workers it forked, helpers."""
    table = process_table()
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, (parent, _) in table.items() if parent in frontier}
        found |= frontier
    return {pid for pid in found if "multiprocessing" in table[pid][1]}


def workers_of(root: int) -> set[int]:
    """The cleaning workers under `root`: the children of its forkserver."""
    table = process_table()
    forkservers = {pid for pid in pool_processes(root)
                   if table.get(pid, (0,))[0] == root and "forkserver" in table[pid][1]}
    return {pid for pid, (parent, _) in table.items() if parent in forkservers}


def alive(pids: set[int]) -> set[int]:
    table = process_table()
    return {pid for pid in pids if pid in table}


def wait_for(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


# A user's project whose spider yields articles slowly, for as long as it is let ---------------------

SLOW_SPIDER = """\
import asyncio
from pathlib import Path

import scrapy

TEXT = Path({sample!r}).read_text(encoding="utf-8")


class SlowSpider(scrapy.Spider):
    name = "slow"

    async def start(self):
        # Requests, not items, from start(): Scrapy 2.19's graceful stop hangs on a start() that
        # yields items itself, with or without newsclean. data: URLs need no server.
        for i in range(100_000):
            await asyncio.sleep(0.02)  # faster than cleaning: pages are waiting for a worker at Ctrl-C
            yield scrapy.Request(f"data:,{{i}}", dont_filter=True)

    def parse(self, response):
        yield {{"url": f"https://example.com/news/{{response.url[6:]}}", "raw_text": TEXT}}
"""


# Its pages take a minute or more to clean (a pathological page: trafilatura on 60,000 short paragraphs).
HEAVY_SPIDER = """\
import scrapy

BODY = "".join(f"<p>Paragraph {i} of the long report says the committee heard witness {i}.</p>" for i in range(60_000))


class HeavySpider(scrapy.Spider):
    name = "heavy"

    async def start(self):
        for i in range(2):
            yield scrapy.Request(f"data:,{i}", dont_filter=True)

    def parse(self, response):
        yield {"url": f"https://example.com/report/{response.url[6:]}", "html": f"<html><body><article>{BODY}</article></body></html>"}
"""


def user_project(tmp_path: Path, settings: str) -> Path:
    project = tmp_path / "userproject"
    (project / "userbot" / "spiders").mkdir(parents=True)
    (project / "scrapy.cfg").write_text("[settings]\ndefault = userbot.settings\n")
    (project / "userbot" / "__init__.py").write_text("")
    (project / "userbot" / "settings.py").write_text(textwrap.dedent(settings))
    (project / "userbot" / "spiders" / "__init__.py").write_text("")
    (project / "userbot" / "spiders" / "slow.py").write_text(SLOW_SPIDER.format(sample=str(RAW_TEXT_SAMPLES[0])))
    (project / "userbot" / "spiders" / "heavy.py").write_text(HEAVY_SPIDER)
    return project


ADDONS_ONLY = """\
BOT_NAME = "userbot"
SPIDER_MODULES = ["userbot.spiders"]
ADDONS = {"newsclean.Addon": 300}
"""


def start_crawl(project: Path, feed: Path, log: Path, spider: str = "slow", *settings: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "scrapy", "crawl", spider, "-O", str(feed), "-s", "REMOTE_CONTROL_ENABLED=False",
               "-s", "LOG_LEVEL=DEBUG", "-s", "NEWSCLEAN_WORKERS=2", *(arg for s in settings for arg in ("-s", s))]
    with log.open("w") as out:
        return subprocess.Popen(command, cwd=project, stdout=subprocess.DEVNULL, stderr=out)


def scraped(log: Path) -> int:
    return log.read_text(encoding="utf-8", errors="replace").count("DEBUG: Scraped from")


def test_ctrl_c_stops_the_crawl_gracefully_with_a_valid_feed_and_no_workers_left(tmp_path):
    project = user_project(tmp_path, ADDONS_ONLY)
    feed, log = tmp_path / "feed.jsonl", tmp_path / "crawl.log"
    crawl = start_crawl(project, feed, log)
    try:
        wait_for(lambda: crawl.poll() is None and scraped(log) >= 5, "the crawl to emit five items")
        processes = pool_processes(crawl.pid)
        assert len(workers_of(crawl.pid)) == 2
        crawl.send_signal(signal.SIGINT)
        assert crawl.wait(timeout=120) == 0
    finally:
        if crawl.poll() is None:
            crawl.kill()
    text = log.read_text(encoding="utf-8")
    assert "Received SIGINT, shutting down gracefully" in text
    assert "Traceback" not in text
    records = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 5
    assert all(mismatches(r, expected(RAW_TEXT_SAMPLES[0])) == [] for r in records)
    wait_for(lambda: not alive(processes), f"the pool's processes {sorted(processes)} to exit", timeout=10)


@pytest.mark.parametrize("reactor", ["TWISTED_REACTOR_ENABLED=True", "TWISTED_REACTOR_ENABLED=False"])
def test_a_second_ctrl_c_stops_the_crawl_at_once_with_no_workers_left(tmp_path, reactor):
    # Scrapy's forced stop: the reactor stops (without one, the crawl's tasks are cancelled) with pages in
    # the workers, which must not hold the process until they are done (here, minutes; with no time
    # limit, for ever).
    project = user_project(tmp_path, ADDONS_ONLY)
    feed, log = tmp_path / "feed.jsonl", tmp_path / "crawl.log"
    crawl = start_crawl(project, feed, log, "heavy", "NEWSCLEAN_TIMEOUT=600", reactor)
    try:
        wait_for(lambda: crawl.poll() is None and "started on https://example.com/report/" in log.read_text(),
                 "a worker to start on a page")
        processes = pool_processes(crawl.pid)
        crawl.send_signal(signal.SIGINT)
        wait_for(lambda: "shutting down gracefully" in log.read_text(), "the graceful stop to begin")
        crawl.send_signal(signal.SIGINT)
        crawl.wait(timeout=15)
    finally:
        if crawl.poll() is None:
            crawl.kill()
    assert "forcing unclean shutdown" in log.read_text()
    wait_for(lambda: not alive(processes), f"the pool's processes {sorted(processes)} to exit", timeout=10)


def test_a_crawl_killed_outright_leaves_no_workers_behind(tmp_path):
    # This project enables the pipeline by class: its settings.py imports newsclean.pipelines before
    # Scrapy installs its reactor, which must not install one of its own.
    project = user_project(tmp_path, """\
        from newsclean.pipelines import CleanPipeline

        BOT_NAME = "userbot"
        SPIDER_MODULES = ["userbot.spiders"]
        ITEM_PIPELINES = {CleanPipeline: 300}
        """)
    feed, log = tmp_path / "feed.jsonl", tmp_path / "crawl.log"
    crawl = start_crawl(project, feed, log)
    try:
        wait_for(lambda: crawl.poll() is None and scraped(log) >= 3, "the crawl to emit three items")
        processes = pool_processes(crawl.pid)
        assert len(workers_of(crawl.pid)) == 2
        crawl.kill()
        crawl.wait(timeout=10)
    finally:
        if crawl.poll() is None:
            crawl.kill()
    wait_for(lambda: not alive(processes), f"the pool's processes {sorted(processes)} to exit", timeout=10)


def test_newsclean_clean_killed_outright_leaves_no_workers_behind(tmp_path):
    newsclean = Path(sys.executable).with_name("newsclean")
    cli = subprocess.Popen([str(newsclean), "clean", "-", "-o", str(tmp_path / "out.jsonl"), "--workers", "2", "-q"],
                           stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # A few pages in, and stdin left open: it waits for more, its workers up.
        for sample in RAW_TEXT_SAMPLES:
            cli.stdin.write((json.dumps(sample_item(sample)) + "\n").encode())
        cli.stdin.flush()
        wait_for(lambda: cli.poll() is None and len(workers_of(cli.pid)) == 2, "the workers to start")
        processes = pool_processes(cli.pid)
        cli.kill()
        cli.wait(timeout=10)
    finally:
        if cli.poll() is None:
            cli.kill()
        cli.stdin.close()
    wait_for(lambda: not alive(processes), f"the pool's processes {sorted(processes)} to exit", timeout=10)
