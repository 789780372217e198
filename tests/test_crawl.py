"""Real `scrapy crawl` processes: the bundled samples spider, and a user's own project that adds
nothing but the ADDONS line."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from helpers import RAW_TEXT_SAMPLES, ROOT, SAMPLE_FILES, expected, mismatches


def scrapy_crawl(cwd, spider, feed, *args):
    command = [sys.executable, "-m", "scrapy", "crawl", spider, "-O", str(feed),
               "-s", "REMOTE_CONTROL_ENABLED=False", "-s", "LOG_LEVEL=INFO", *args]
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()], done.stderr


def by_name(records):
    return {r["url"].rsplit("/", 1)[-1]: r for r in records}


def test_samples_spider_writes_the_expected_records(tmp_path):
    records, log = scrapy_crawl(ROOT, "samples", tmp_path / "clean.jsonl")
    records = by_name(records)
    assert set(records) == {p.name for p in SAMPLE_FILES}
    for sample in SAMPLE_FILES:
        assert mismatches(records[sample.name], expected(sample)) == [], sample.name
        assert set(records[sample.name]) == {"url", "title", "text", "date", "author", "sitename", "language"}
    assert "'newsclean/cleaned': 8" in log
    # The feed is UTF-8, not \\u escapes.
    assert "’" in (tmp_path / "clean.jsonl").read_text(encoding="utf-8")


def test_samples_spider_yields_the_fields_the_settings_name(tmp_path):
    records, log = scrapy_crawl(ROOT, "samples", tmp_path / "clean.jsonl", "-s", "NEWSCLEAN_URL_FIELD=link",
                                "-s", "NEWSCLEAN_RAW_TEXT_FIELD=body", "-s", "NEWSCLEAN_HTML_FIELD=page")
    records = {r["link"].rsplit("/", 1)[-1]: r for r in records}
    assert set(records) == {p.name for p in SAMPLE_FILES}
    assert all(mismatches(records[s.name], expected(s)) == [] for s in SAMPLE_FILES)


def test_samples_spider_on_a_reactor_without_asyncio(tmp_path):
    # A project may keep Twisted's own reactor: the pipeline awaits Deferreds there, not asyncio futures.
    records, log = scrapy_crawl(ROOT, "samples", tmp_path / "clean.jsonl",
                                "-s", "TWISTED_REACTOR=twisted.internet.selectreactor.SelectReactor")
    records = by_name(records)
    assert set(records) == {p.name for p in SAMPLE_FILES}
    assert all(mismatches(records[s.name], expected(s)) == [] for s in SAMPLE_FILES)
    assert "SelectReactor" in log and "Traceback" not in log


def test_samples_spider_without_a_twisted_reactor(tmp_path):
    # Scrapy's mode without a reactor (TWISTED_REACTOR_ENABLED = False, Scrapy 2.15+): plain asyncio, where
    # importing twisted.internet.reactor is an error.
    records, log = scrapy_crawl(ROOT, "samples", tmp_path / "clean.jsonl", "-s", "TWISTED_REACTOR_ENABLED=False")
    records = by_name(records)
    assert set(records) == {p.name for p in SAMPLE_FILES}
    assert all(mismatches(records[s.name], expected(s)) == [] for s in SAMPLE_FILES)
    assert "Traceback" not in log


USER_SETTINGS = """\
BOT_NAME = "userbot"
SPIDER_MODULES = ["userbot.spiders"]
ADDONS = {"newsclean.Addon": 300}
"""

USER_SPIDER = """\
from pathlib import Path

import scrapy


class PagesSpider(scrapy.Spider):
    name = "pages"

    async def start(self):
        for path in sorted(Path({folder!r}).glob("*.txt")):
            yield {{"url": path.as_uri(), "raw_text": path.read_text(encoding="utf-8")}}
"""


def test_a_user_project_with_only_the_addons_line(tmp_path):
    project = tmp_path / "userproject"
    (project / "userbot" / "spiders").mkdir(parents=True)
    (project / "scrapy.cfg").write_text("[settings]\ndefault = userbot.settings\n")
    (project / "userbot" / "__init__.py").write_text("")
    (project / "userbot" / "settings.py").write_text(USER_SETTINGS)
    (project / "userbot" / "spiders" / "__init__.py").write_text("")
    (project / "userbot" / "spiders" / "pages.py").write_text(textwrap.dedent(USER_SPIDER.format(folder=str(ROOT / "samples"))))
    records, _ = scrapy_crawl(project, "pages", tmp_path / "out.jsonl")
    records = by_name(records)
    assert set(records) == {p.name for p in RAW_TEXT_SAMPLES}
    for sample in RAW_TEXT_SAMPLES:
        assert mismatches(records[sample.name], expected(sample)) == [], sample.name


def test_scrapy_shell_in_a_project_with_the_addon_exits_cleanly():
    # The shell never sends an item through the pipelines, nor closes the spider: no worker starts,
    # and none is left booting when the shell exits (which printed a traceback from it).
    sample = RAW_TEXT_SAMPLES[0].as_uri()
    done = subprocess.run([sys.executable, "-m", "scrapy", "shell", sample, "-c", "response.status", "--nolog"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "200", done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]


# Scrapy's "run from a script" example, as many scripts are written: without a __main__ guard.
UNGUARDED_SCRIPT = """\
import os
from pathlib import Path

import scrapy
from scrapy.crawler import CrawlerProcess

with open({runs!r}, "a") as runs:
    runs.write(f"{{__name__}}\\n")


class PagesSpider(scrapy.Spider):
    name = "pages"

    async def start(self):
        for path in sorted(Path({folder!r}).glob("*.txt")):
            yield {{"url": path.as_uri(), "raw_text": path.read_text(encoding="utf-8")}}


process = CrawlerProcess({{"ADDONS": {{"newsclean.Addon": 300}}, "NEWSCLEAN_WORKERS": 2, "LOG_LEVEL": "ERROR",
                          "FEEDS": {{{feed!r}: {{"format": "jsonlines", "overwrite": True}}}}}})
process.crawl(PagesSpider)
process.start()
"""


def test_a_crawl_script_without_a_main_guard_crawls_once_and_says_what_to_guard(tmp_path):
    # Python runs the script's top-level code again in each worker it starts: the crawl there stops at once,
    # with a message, instead of crawling again and writing the same feed.
    feed, runs, script = tmp_path / "out.jsonl", tmp_path / "runs.txt", tmp_path / "crawl.py"
    script.write_text(UNGUARDED_SCRIPT.format(runs=str(runs), folder=str(ROOT / "samples"), feed=str(feed)))
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert runs.read_text().split() == ["__main__", "__mp_main__", "__mp_main__"]
    records = by_name(json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines())
    assert set(records) == {p.name for p in RAW_TEXT_SAMPLES}
    errors = [line for line in done.stderr.splitlines() if "[newsclean.pool] ERROR" in line]
    assert len(errors) == 2 and all('crawl under `if __name__ == "__main__":`' in line for line in errors)


# Scrapy's "run crawls in a row" example without a __main__ guard: in each worker the crawl fails, so the
# script's top-level code never gets to reactor.stop() and the worker never starts.
UNGUARDED_RUNNER_SCRIPT = """\
from pathlib import Path

import scrapy
from scrapy.crawler import CrawlerRunner
from scrapy.utils.log import configure_logging
from scrapy.utils.reactor import install_reactor

import newsclean.pool

newsclean.pool.START_TIMEOUT = 5  # not a minute: a test

install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
from twisted.internet import defer, reactor


class PagesSpider(scrapy.Spider):
    name = "pages"

    async def start(self):
        for path in sorted(Path({folder!r}).glob("*.txt")):
            yield {{"url": path.as_uri(), "raw_text": path.read_text(encoding="utf-8")}}


settings = {{"ADDONS": {{"newsclean.Addon": 300}}, "NEWSCLEAN_WORKERS": 2, "NEWSCLEAN_TIMEOUT": 0, "LOG_LEVEL": "INFO",
            "FEEDS": {{{feed!r}: {{"format": "jsonlines", "overwrite": True}}}}}}
configure_logging(settings)
runner = CrawlerRunner(settings)


@defer.inlineCallbacks
def crawl():
    yield runner.crawl(PagesSpider)
    reactor.stop()


crawl()
reactor.run()
"""


def test_a_crawl_script_whose_workers_never_start_drops_its_items_counted_and_ends(tmp_path):
    feed, script = tmp_path / "out.jsonl", tmp_path / "crawl.py"
    script.write_text(UNGUARDED_RUNNER_SCRIPT.format(folder=str(ROOT / "samples"), feed=str(feed)))
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert feed.read_text(encoding="utf-8") == ""
    assert f"'newsclean/dropped/no_workers': {len(RAW_TEXT_SAMPLES)}," in done.stderr, done.stderr[-3000:]
    assert "the cleaning workers did not start within 5 s" in done.stderr
    assert 'Put its crawl under `if __name__ == "__main__":`' in done.stderr


GERMAN_LATIN1 = """\
Startseite
Stadtrat beschließt Sanierung der Rheinbrücke
Der Stadtrat hat am Dienstagabend nach mehr als vierstündiger Debatte die Sanierung der alten Rheinbrücke beschlossen. Die Arbeiten sollen im Frühjahr beginnen und rund drei Jahre dauern.
Die Kosten werden auf knapp 48 Millionen Euro geschätzt. Etwa die Hälfte davon übernimmt das Land, den Rest muss die Stadt über zusätzliche Kredite aufbringen.
Für Radfahrer und Fußgänger will die Stadt eine provisorische Fähre einrichten, die im Halbstundentakt verkehren soll.
"""


def test_samples_spider_reads_a_folder_as_newsclean_clean_does(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "german-latin1.txt").write_bytes(GERMAN_LATIN1.encode("latin-1"))  # not UTF-8
    html = next(p for p in SAMPLE_FILES if p.suffix == ".html")
    (folder / "PAGE.HTML").write_bytes(html.read_bytes())
    crawled, _ = scrapy_crawl(ROOT, "samples", tmp_path / "crawl.jsonl", "-a", f"path={folder}")
    newsclean = subprocess.run([str(Path(sys.executable).with_name("newsclean")), "clean", str(folder), "-q"],
                               capture_output=True, text=True, encoding="utf-8", timeout=120, check=True)
    cleaned = [json.loads(line) for line in newsclean.stdout.splitlines()]
    assert len(cleaned) == 2 and sorted(crawled, key=lambda r: r["url"]) == sorted(cleaned, key=lambda r: r["url"])
    assert any("Rheinbrücke" in r["title"] for r in crawled)
