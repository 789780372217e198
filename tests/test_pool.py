"""Crash recovery in CleanerPool: a worker killed mid-item, a page that always kills its worker, a page
past the time limit, and a worker killed in the middle of a real `scrapy crawl`."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from concurrent.futures import Future
from pathlib import Path

import pool_tasks
import pytest
from helpers import SAMPLE_FILES, expected, mismatches
from pool_tasks import starts

from newsclean import NotAnArticle, Options, Page
import newsclean.pool as pool_module
from newsclean.pool import CleanerPool

TIMEOUT = 60


def page(sample: Path, started: Path | None = None, poison: bool = False) -> Page:
    query = "&".join(([f"started={started}"] if started else []) + (["poison=1"] if poison else []))
    url = sample.as_uri() + (f"?{query}" if query else "")
    text = sample.read_text(encoding="utf-8")
    return Page(url=url, html=text) if sample.suffix == ".html" else Page(url=url, raw_text=text)


def wait_for(condition, what: str, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def assert_clean(future: Future, sample: Path) -> None:
    article = future.result(timeout=TIMEOUT)
    assert mismatches(article.record(), expected(sample)) == [], sample.name


@pytest.fixture
def make_pool():
    pools = []

    def make(workers: int, task, **kwargs) -> CleanerPool:
        pool = CleanerPool(workers, Options(), task=task, **kwargs)
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.shutdown()


def test_the_workers_start_with_the_first_page_and_a_pool_that_gets_none_starts_none(make_pool):
    idle = make_pool(2, pool_tasks.slow_clean)
    time.sleep(3)  # well over what the workers take to start (under a second), were they started now
    assert idle.worker_pids() == []
    idle.shutdown()  # at once, with nothing to wait for
    pool = make_pool(2, pool_tasks.slow_clean)
    assert_clean(pool.submit(page(SAMPLE_FILES[0])), SAMPLE_FILES[0])
    assert len(pool.worker_pids()) == 2


def test_a_worker_killed_mid_item_costs_no_item(make_pool, tmp_path):
    pool = make_pool(2, pool_tasks.slow_clean)
    samples = SAMPLE_FILES[:4]
    marks = [tmp_path / f"started-{i}" for i in range(len(samples))]
    futures = [pool.submit(page(s, m)) for s, m in zip(samples, marks)]
    # Both workers are in the middle of a page (each sleeps a second before cleaning it).
    wait_for(lambda: len({pid for m in marks for pid in starts(m)}) == 2, "both workers to start a page")
    busy = {pid for m in marks for pid in starts(m)}
    assert busy == set(pool.worker_pids())
    victim = min(busy)
    os.kill(victim, signal.SIGKILL)
    for future, sample in zip(futures, samples):
        assert_clean(future, sample)
    # The page the victim had was tried again, elsewhere.
    [victims_page] = [m for m in marks if victim in starts(m)]
    assert starts(victims_page)[0] == victim and len(starts(victims_page)) == 2
    # The pool works on, with new workers.
    again = tmp_path / "again"
    assert_clean(pool.submit(page(samples[0], again)), samples[0])
    assert victim not in pool.worker_pids() and starts(again)[0] in pool.worker_pids()


def test_a_poison_page_fails_alone_and_the_pages_in_flight_with_it_succeed(make_pool, tmp_path):
    pool = make_pool(2, pool_tasks.poison_or_clean)
    samples = SAMPLE_FILES[:4]
    poison_mark = tmp_path / "poison"
    marks = [tmp_path / f"started-{i}" for i in range(len(samples))]
    futures = [pool.submit(page(samples[0], marks[0]))]
    wait_for(lambda: starts(marks[0]), "the first page to start")
    poisoned = pool.submit(page(samples[1], poison_mark, poison=True))
    futures += [pool.submit(page(s, m)) for s, m in zip(samples[1:], marks[1:])]
    with pytest.raises(NotAnArticle) as failure:
        poisoned.result(timeout=TIMEOUT)
    assert failure.value.reason == "worker_crashed"
    assert len(starts(poison_mark)) == 2  # tried twice: with the others, then alone
    for future, sample in zip(futures, samples):
        assert_clean(future, sample)
    assert len(starts(marks[0])) == 2  # in flight when the poison struck: retried
    # The pool works on: a good page, the poison again, a good page.
    assert_clean(pool.submit(page(samples[2])), samples[2])
    with pytest.raises(NotAnArticle) as failure:
        pool.submit(page(samples[1], poison=True)).result(timeout=TIMEOUT)
    assert failure.value.reason == "worker_crashed"
    assert_clean(pool.submit(page(samples[3])), samples[3])


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_page_past_the_time_limit_is_stopped_and_the_pages_in_flight_with_it_succeed(make_pool, tmp_path):
    pool = make_pool(2, pool_tasks.slow_or_clean, timeout=1.5)
    samples = SAMPLE_FILES[:4]
    slow_mark = tmp_path / "slow"
    marks = [tmp_path / f"started-{i}" for i in range(len(samples))]
    slow = pool.submit(Page(url=f"https://example.com/news/slow?started={slow_mark}", raw_text="A page."))
    # One worker is on the slow page; the other cleans the four pages one after another, a second each:
    # when the slow page is stopped, 1.5 s after it started, one of them is in flight.
    futures = [pool.submit(page(s, m)) for s, m in zip(samples, marks)]
    wait_for(lambda: starts(slow_mark), "the slow page to start")
    started = time.monotonic()
    with pytest.raises(NotAnArticle) as failure:
        slow.result(timeout=TIMEOUT)
    assert 1.4 < time.monotonic() - started < 10
    assert failure.value.reason == "timeout" and "1.5 s" in failure.value.message
    [slow_worker] = starts(slow_mark)  # never tried again
    wait_for(lambda: not alive(slow_worker), "the slow page's worker to be gone", timeout=10)
    for future, sample in zip(futures, samples):
        assert_clean(future, sample)
    assert sorted(len(starts(m)) for m in marks) == [1, 1, 1, 2]  # the one in flight was retried
    # The pool works on, with new workers, and a slow page again is stopped again.
    assert_clean(pool.submit(page(samples[0])), samples[0])
    assert slow_worker not in pool.worker_pids()
    with pytest.raises(NotAnArticle) as failure:
        pool.submit(Page(url="https://example.com/slow-again", raw_text="A page.")).result(timeout=TIMEOUT)
    assert failure.value.reason == "timeout"


def test_a_time_limit_of_0_is_no_limit(make_pool):
    pool = make_pool(1, pool_tasks.slow_clean, timeout=0)  # the page takes a second
    assert_clean(pool.submit(page(SAMPLE_FILES[0])), SAMPLE_FILES[0])


def test_a_time_limit_of_years_is_a_time_limit(make_pool):
    # Past about 24 days a wait overflows poll(): the watchdog must not die of it, or the workers
    # block telling it which page they start on.
    pool = make_pool(2, pool_tasks.echo, timeout=1e9)
    futures = [pool.submit(Page(url=f"https://example.com/{i}", raw_text="A page.")) for i in range(3000)]
    assert all(future.result(timeout=TIMEOUT).text == "A page." for future in futures)


def test_pages_whose_caller_cancelled_them_cost_the_others_nothing(make_pool, tmp_path):
    pool = make_pool(1, pool_tasks.slow_clean)
    marks = [tmp_path / f"started-{i}" for i in range(4)]
    futures = [pool.submit(page(SAMPLE_FILES[0], m)) for m in marks]
    wait_for(lambda: starts(marks[0]), "the first page to start")
    assert futures[0].cancel() and futures[3].cancel()  # one in a worker, one still waiting
    for future in futures[1:3]:
        assert_clean(future, SAMPLE_FILES[0])
    assert not starts(marks[3])  # never sent to a worker
    assert_clean(pool.submit(page(SAMPLE_FILES[0])), SAMPLE_FILES[0])


def test_a_page_the_pool_cannot_hand_to_a_worker_fails_alone_and_the_pool_goes_on(make_pool):
    # What a worker failing to start does inside the executor's submit (too many open files, no memory).
    pool = make_pool(1, pool_tasks.slow_clean)
    sample = SAMPLE_FILES[0]
    assert_clean(pool.submit(page(sample)), sample)

    def no_worker(*args, **kwargs):
        raise OSError(24, "Too many open files")

    pool._executor.submit = no_worker
    with pytest.raises(NotAnArticle) as failure:
        pool.submit(page(sample)).result(timeout=TIMEOUT)
    assert failure.value.reason == "error" and "Too many open files" in failure.value.message
    assert pool._executor.submit != no_worker  # a fresh pool of workers took its place
    assert_clean(pool.submit(page(sample)), sample)


def test_workers_slower_to_start_than_a_pages_time_limit_still_clean(make_pool, monkeypatch):
    # Spawned workers (no forkserver: other systems) load the cleaner each, a second or more: the pages'
    # time limit counts from when a worker starts on a page, not the workers' own start.
    monkeypatch.setattr(pool_module, "_start_method", lambda: "spawn")
    pool = make_pool(1, pool_module._clean, timeout=0.5)
    sample = SAMPLE_FILES[0]
    assert_clean(pool.submit(page(sample)), sample)


def test_workers_send_the_removed_lines_back_only_when_asked(make_pool):
    from newsclean.pool import _clean

    sample = SAMPLE_FILES[0]
    with_removed = make_pool(1, _clean).submit(page(sample)).result(timeout=TIMEOUT)
    without = make_pool(1, _clean, removed=False).submit(page(sample)).result(timeout=TIMEOUT)
    assert with_removed.removed and without.removed == []
    assert without.record() == with_removed.record()
    assert mismatches(without.record(), expected(sample)) == []


def test_inline_cleaning_fails_a_page_as_a_worker_would(make_pool):
    pool = make_pool(0, pool_tasks.raise_value_error)
    with pytest.raises(NotAnArticle) as failure:
        pool.submit(Page(url="https://example.com/a", raw_text="A page.")).result()
    assert failure.value.reason == "error" and "ValueError" in failure.value.message
    pool.shutdown()
    with pytest.raises(NotAnArticle) as failure:
        pool.submit(Page(url="https://example.com/b", raw_text="A page.")).result()
    assert failure.value.reason == "shutdown"


def test_shutdown_settles_every_page(make_pool, tmp_path):
    pool = make_pool(1, pool_tasks.slow_clean)
    marks = [tmp_path / f"started-{i}" for i in range(6)]
    futures = [pool.submit(page(SAMPLE_FILES[0], m)) for m in marks]
    wait_for(lambda: starts(marks[0]), "the first page to start")
    pool.shutdown()
    for future in futures:
        assert future.done()
        if future.exception() is None:
            assert future.result().text
        else:
            assert isinstance(future.exception(), NotAnArticle) and future.exception().reason == "shutdown"
    assert futures[0].exception() is None  # the page in progress was finished
    assert futures[-1].exception() is not None  # the last was never sent to a worker


# A real crawl: the test kills the crawl's only cleaning worker in the middle of a slow page.

def _process_table() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process we can see."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone meanwhile
            continue
        table[int(entry.name)] = (int(stat.rsplit(")", 1)[1].split()[1]), cmdline)
    return table


def crawl_workers(crawl_pid: int) -> list[int]:
    """The cleaning workers of a crawl: the children of the forkserver the crawl started."""
    table = _process_table()
    forkservers = {pid for pid, (parent, cmd) in table.items() if parent == crawl_pid and "forkserver" in cmd}
    return [pid for pid, (parent, _) in table.items() if parent in forkservers]


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def slow_page(paragraphs: int) -> bytes:
    """A long article (about 1 MB for 6000 paragraphs) that takes a worker seconds to clean."""
    words = ("council harbour budget school bridge river station market library hospital tram museum "
             "election festival road park").split()
    body = "\n".join(
        f"<p>In the {i}th session the {words[i % len(words)]} committee heard that the {words[(i * 7) % len(words)]} "
        f"plan for item {i} would cost {i * 13 % 97} thousand pounds, and agreed to vote on it next week.</p>"
        for i in range(paragraphs))
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>The long council report</title>"
            f"</head><body><article><h1>The long council report</h1>{body}</article></body></html>").encode()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the crawl's workers through /proc")
def test_a_crawl_whose_worker_is_killed_mid_item_loses_no_item(tmp_path):
    from helpers import ROOT
    from http_site import Site, read_feed, scrapy_command, stats

    html_samples = [s for s in SAMPLE_FILES if s.suffix == ".html"]
    pages = {f"/news/{s.name}": ("text/html", s.read_bytes()) for s in html_samples}
    pages["/news/long-report.html"] = ("text/html", slow_page(6000))
    pages["/robots.txt"] = ("text/plain", b"User-agent: *\nAllow: /\n")
    feed, log_file = tmp_path / "feed.jsonl", tmp_path / "crawl.log"
    with Site(pages) as site, log_file.open("w") as log:
        slow_url = site.url("/news/long-report.html")
        urls = [slow_url] + [site.url(f"/news/{s.name}") for s in html_samples]
        crawl = subprocess.Popen(scrapy_command(ROOT, feed, "-a", "urls=" + ",".join(urls),
                                                "-s", "NEWSCLEAN_WORKERS=1", "-s", "LOG_LEVEL=DEBUG"),
                                 cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
        try:
            # The pool logs when a worker starts on a page (after the worker's warm-up); the long page
            # then takes its worker about 3 s of CPU: 0.5 s later, it is still on it.
            def started_on_the_long_page():
                assert crawl.poll() is None, "the crawl ended before its worker could be killed"
                return f"started on {slow_url}" in log_file.read_text(encoding="utf-8")

            wait_for(started_on_the_long_page, "the worker to start on the long page")
            [worker] = crawl_workers(crawl.pid)
            started = cpu_seconds(worker)
            wait_for(lambda: cpu_seconds(worker) > started + 0.5, "the worker to be busy on the long page")
            os.kill(worker, signal.SIGKILL)
            assert crawl.wait(timeout=120) == 0
        finally:
            if crawl.poll() is None:
                crawl.kill()
    text = log_file.read_text(encoding="utf-8")
    assert f"A cleaning worker died with {slow_url} in flight: retrying it alone" in text
    records = {r["url"]: r for r in read_feed(feed)}
    assert set(records) == set(urls)
    assert records[slow_url]["text"].count("\n") > 1000
    for sample in html_samples:
        assert mismatches(records[site.url(f"/news/{sample.name}")], expected(sample)) == [], sample.name
    found = stats(text)
    assert found["newsclean/items"] == found["newsclean/cleaned"] == len(urls)
    assert not [name for name in found if name.startswith("newsclean/dropped/")]
