"""What the crawl benchmarks (throughput.py, memory.py) share: dev-set pages served from memory by an
HTTP server on 127.0.0.1, a throwaway Scrapy project that crawls them (with a loop-lag monitor), a
`scrapy crawl` subprocess run, and process memory read from /proc (no psutil needed)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from common import SETS, load_scorer, load_sets

# --- the pages ------------------------------------------------------------------------------------


def load_pages(shared: Path, count: int, seed: int = 0) -> list[dict]:
    """`count` dev-set pages (both sets, shuffled with `seed`) that have both HTML and raw text:
    dicts with id, set, url, html, raw_text, gold_text."""
    scorer = load_scorer(shared)
    pages = [dict(page, set=name) for name, pages in load_sets(shared, scorer, list(SETS)).items()
             for page in pages if (page.get("html") or "").strip() and (page.get("raw_text") or "").strip()]
    random.Random(seed).shuffle(pages)
    return pages[:count]


class _Server(ThreadingHTTPServer):
    # A crawl opens as many connections at once as it may have requests in flight: with the default
    # listen backlog (5) the kernel drops the SYNs beyond it, and those connections wait for TCP's
    # retries (1, 2, 4 ... 32 s), which stalls a crawl for tens of seconds.
    request_queue_size = 1024


class Site:
    """Serves page i's HTML at /html/i and its raw text at /text/i (the query string is ignored, so
    /html/i?n=7 is the same page under another URL), from memory, over keep-alive HTTP/1.1.
    `served` counts the responses sent. Use as a context manager."""

    def __init__(self, pages: list[dict]):
        self.bodies = {
            "html": [("text/html; charset=utf-8", page["html"].encode("utf-8")) for page in pages],
            "text": [("text/plain; charset=utf-8", page["raw_text"].encode("utf-8")) for page in pages],
        }
        self.served = 0
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                try:
                    _, kind, index = self.path.split("?", 1)[0].split("/")
                    content_type, body = site.bodies[kind][int(index)]
                except (ValueError, KeyError, IndexError):
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                with site._lock:
                    site.served += 1

            def log_message(self, format, *args):  # quiet
                pass

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, kind: str, index: int, n: int | None = None) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/{kind}/{index}" + ("" if n is None else f"?n={n}")

    def __enter__(self) -> Site:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


def page_index(url: str) -> int:
    """The page a served URL shows (see Site)."""
    return int(url.split("?", 1)[0].rsplit("/", 1)[1])


# --- the Scrapy project ---------------------------------------------------------------------------

PROJECT_FILES = {
    "scrapy.cfg": "[settings]\ndefault = benchproject.settings\n",
    "benchproject/__init__.py": "",
    "benchproject/settings.py": '''\
BOT_NAME = "benchproject"
SPIDER_MODULES = ["benchproject.spiders"]
ROBOTSTXT_OBEY = False
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
DOWNLOAD_DELAY = 0
FEED_EXPORT_FIELDS = ["url", "text", "language"]  # the same small records whatever the pipeline
EXTENSIONS = {"benchproject.looplag.LoopLagMonitor": 0}
''',
    "benchproject/spiders/__init__.py": "",
    "benchproject/spiders/pages.py": '''\
import scrapy


class PagesSpider(scrapy.Spider):
    """Fetches every URL of the file `urls` and yields {"url", FIELD: the response's text}; with
    field=by-url, FIELD is html for /html/ URLs and raw_text for the others."""

    name = "pages"

    def __init__(self, urls, field="html", **kwargs):
        super().__init__(**kwargs)
        self.urls_file, self.field = urls, field

    async def start(self):
        with open(self.urls_file, encoding="utf-8") as f:
            for url in f.read().split():
                yield scrapy.Request(url, dont_filter=True)

    def parse(self, response):
        field = self.field
        if field == "by-url":
            field = "html" if "/html/" in response.url else "raw_text"
        yield {"url": response.url, field: response.text}
''',
    "benchproject/pipelines.py": '''\
import langdetect
import trafilatura


class InlineTrafilaturaPipeline:
    """What a project writes without newsclean: trafilatura called inline, on the event loop."""

    def process_item(self, item):
        html = item.pop("html")
        item["text"] = trafilatura.extract(html, include_comments=False)
        return item


class InlineTrafilaturaFieldsPipeline:
    """The same, for the fields newsclean gives: trafilatura's text and metadata, langdetect's language."""

    def process_item(self, item):
        found = trafilatura.bare_extraction(item.pop("html"), include_comments=False, with_metadata=True)
        if found is not None:
            item.update(text=found.text, title=found.title, date=found.date, author=found.author,
                        sitename=found.sitename)
            try:
                item["language"] = langdetect.detect(found.text or "")
            except langdetect.LangDetectException:  # no letters to go by
                item["language"] = None
        return item
''',
    "benchproject/looplag.py": '''\
"""How late the event loop runs a timer due every 10 ms: the longest stall, and the p99."""

import gc
import json
import sys
import threading
import time
import traceback

from scrapy import signals

INTERVAL = 0.010
GC_KEPT = 0.005  # garbage collections longer than this are kept, to tell stalls of the collector apart
STALL = 0.1  # a stall this long gets the event loop's stack recorded (BENCH_STALL_STACKS)


class LoopLagMonitor:
    def __init__(self, crawler):
        self.crawler = crawler
        self.report = crawler.settings.get("BENCH_REPORT")
        self.lags, self.due, self.call, self.opened = [], None, None, None
        self.first_item = self.last_item = None
        self.stalls = []  # (seconds after the spider opened, stall ms, ms of it in the GC) of every stall over 100 ms
        self.gc_pauses, self._gc_started = [], None  # (start, end) of each garbage collection
        self.stacks, self.running = [], False
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.item_done, signal=signals.item_scraped)
        crawler.signals.connect(self.item_done, signal=signals.item_dropped)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider):
        from twisted.internet import reactor

        self.reactor = reactor
        self.opened = time.perf_counter()
        gc.callbacks.append(self._gc)
        self._schedule()
        if self.crawler.settings.getbool("BENCH_STALL_STACKS"):
            self.running, self.loop_thread = True, threading.get_ident()
            threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self):
        """While the loop is late by more than STALL, record what its thread is running (once a stall)."""
        seen = None
        while self.running:
            time.sleep(0.02)
            due = self.due
            if time.perf_counter() - due > STALL and due != seen and len(self.stacks) < 10:
                seen = due
                frame = sys._current_frames().get(self.loop_thread)
                if frame is not None:
                    self.stacks.append([round(due - self.opened, 2), traceback.format_stack(frame)[-12:]])

    def _gc(self, phase, info):
        """Times each garbage collection of this process: a stall may be the collector, not the work."""
        if phase == "start":
            self._gc_started = time.perf_counter()
        elif self._gc_started is not None:
            end = time.perf_counter()
            if end - self._gc_started > GC_KEPT:  # most collections are young ones, well under a ms
                self.gc_pauses.append((self._gc_started, end))
            self._gc_started = None

    def _gc_ms(self, start, end):
        """Milliseconds of garbage collection between start and end."""
        # the last few collections are all a stall just ended can hold
        return round(sum(max(0.0, min(b, end) - max(a, start)) for a, b in self.gc_pauses[-50:]) * 1000)

    def _schedule(self):
        self.due = time.perf_counter() + INTERVAL
        self.call = self.reactor.callLater(INTERVAL, self._tick)

    def _tick(self):
        now = time.perf_counter()
        lag = now - self.due
        self.lags.append(lag)
        if lag > 0.1:
            self.stalls.append((round(self.due - self.opened, 2), round(lag * 1000), self._gc_ms(self.due, now)))
        self._schedule()

    def item_done(self, *args, **kwargs):
        self.last_item = time.perf_counter()
        if self.first_item is None:
            self.first_item = self.last_item

    def spider_closed(self, spider, reason):
        closed = time.perf_counter()
        self.running = False
        if self._gc in gc.callbacks:
            gc.callbacks.remove(self._gc)
        if self.call is not None and self.call.active():
            self.call.cancel()
        lags = sorted(self.lags) or [0.0]
        stats = self.crawler.stats.get_stats()
        out = {
            "reason": reason,
            "items": stats.get("item_scraped_count", 0),
            "dropped": stats.get("item_dropped_count", 0),
            "responses": stats.get("response_received_count", 0),
            "crawl_s": (self.last_item or closed) - self.opened,
            "first_item_s": (self.first_item or closed) - self.opened,
            "open_to_close_s": closed - self.opened,
            "lag_max_ms": lags[-1] * 1000,
            "lag_p99_ms": lags[min(len(lags) - 1, int(len(lags) * 0.99))] * 1000,
            "lag_over_100ms": len(self.stalls),
            "stalls": self.stalls,
            "stall_stacks": self.stacks,
            "lag_samples": len(self.lags),
            "gc_max_ms": max((b - a for a, b in self.gc_pauses), default=0.0) * 1000,
            "newsclean": {k: v for k, v in stats.items() if k.startswith("newsclean/")},
        }
        if self.report:
            with open(self.report, "w", encoding="utf-8") as f:
                json.dump(out, f)
''',
}

#: Variant -> the -s settings that make it.
VARIANTS = {
    "newsclean": ['ADDONS={"newsclean.Addon": 300}'],
    "inline-trafilatura": ['ITEM_PIPELINES={"benchproject.pipelines.InlineTrafilaturaPipeline": 300}'],
    "inline-all-fields": ['ITEM_PIPELINES={"benchproject.pipelines.InlineTrafilaturaFieldsPipeline": 300}'],
    "no pipeline": [],
}


#: Stalls in a crawl's first seconds (the cleaning pool starting) are told apart from the rest.
STARTUP_S = 2.0


def stalls_text(stalls: list, most: int) -> str:
    """A crawl report's stalls over 100 ms: "seconds after the spider opened: ms late (GC: ms of it in the
    crawl's garbage collection)"."""
    shown = ", ".join(f"{at:.2f}s: {ms}" + (f" (GC {gc_ms})" if gc_ms else "") for at, ms, gc_ms in stalls[:most])
    return (shown + (" ..." if len(stalls) > most else "")) or "none"


def make_project(directory: Path) -> Path:
    for name, text in PROJECT_FILES.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return directory


@dataclass
class Crawl:
    """One `scrapy crawl` run: its report (from the loop-lag monitor), wall time, feed and command."""

    kind: str
    variant: str
    pages: int
    report: dict
    wall_s: float
    feed: Path
    command: list[str]
    load_before: float
    load_after: float = 0.0
    samples: list = field(default_factory=list)
    cpu_crawl: float = 0.0  # CPU seconds of the crawl process (sampled while it ran: a slight undercount)
    cpu_others: float = 0.0  # and of the processes under it: the cleaning workers, the forkserver
    steal: float = 0.0  # share of the machine's CPU time the hypervisor took while it ran (see machine_steal)

    @property
    def cpu_ms_per_page(self) -> tuple[float, float]:
        """CPU ms per page in the crawl process and in the processes under it: unlike pages/s, hardly
        changed by what else the machine runs."""
        return self.cpu_crawl / self.pages * 1000, self.cpu_others / self.pages * 1000

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.report["crawl_s"] if self.report.get("crawl_s") else 0.0

    def records(self) -> list[dict]:
        with self.feed.open(encoding="utf-8") as f:
            return [json.loads(line) for line in f]


def run_crawl(project: Path, urls: list[str], kind: str, variant: str, workers: int, concurrency: int,
              tag: str, extra: list[str] = (), poll=None, poll_every: float = 0.2) -> Crawl:
    """`scrapy crawl pages` of `urls` in the project, yielding `html` (kind "html"), `raw_text` (kind
    "text") or, kind "by-url", either as the URL says (see Site), with the variant's pipeline. `poll(process)` is called every `poll_every` s while it runs."""
    urls_file, feed, report = (project / f"{tag}.{name}" for name in ("urls.txt", "jsonl", "report.json"))
    urls_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
    report.unlink(missing_ok=True)
    settings = ["REMOTE_CONTROL_ENABLED=False", "LOG_LEVEL=WARNING", f"NEWSCLEAN_WORKERS={workers}",
                f"CONCURRENT_REQUESTS={concurrency}", f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}",
                f"BENCH_REPORT={report}", *VARIANTS[variant], *extra]
    command = [sys.executable, "-m", "scrapy", "crawl", "pages", "-a", f"urls={urls_file}",
               "-a", f"field={ {'html': 'html', 'text': 'raw_text'}.get(kind, kind)}", "-O", str(feed)]
    for setting in settings:
        command += ["-s", setting]
    log = (project / f"{tag}.log").open("w")
    load_before = os.getloadavg()[0]
    steal_before = machine_steal()
    cpu: dict[int, float] = {}  # CPU seconds of the crawl and every process under it, as last seen
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=project, stdout=log, stderr=subprocess.STDOUT)
    while process.poll() is None:
        for pid in [process.pid, *descendants(process.pid)]:
            cpu[pid] = max(cpu.get(pid, 0.0), cpu_seconds(pid))
        if poll is not None:
            poll(process)
        try:
            process.wait(timeout=poll_every)
        except subprocess.TimeoutExpired:
            pass
    wall = time.perf_counter() - start
    log.close()
    if process.returncode != 0 or not report.is_file():
        tail = (project / f"{tag}.log").read_text(errors="replace")[-3000:]
        raise RuntimeError(f"crawl {tag} failed (exit {process.returncode}):\n{tail}")
    return Crawl(kind, variant, len(urls), json.loads(report.read_text()), wall, feed, command, load_before,
                 os.getloadavg()[0], cpu_crawl=cpu.get(process.pid, 0.0),
                 cpu_others=sum(seconds for pid, seconds in cpu.items() if pid != process.pid),
                 steal=steal_share(steal_before, machine_steal()))


def shell_command(command: list[str]) -> str:
    """The command as one could paste it (the venv's python shortened)."""
    import shlex

    return " ".join(shlex.quote(part) for part in command).replace(sys.executable, "python")


# --- memory from /proc ----------------------------------------------------------------------------


def rss_kb(pid: int) -> int:
    """VmRSS of a process in kB (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def children(pid: int) -> list[int]:
    """Direct children, from /proc/PID/task/*/children (or every /proc/*/stat's parent id)."""
    found = []
    tasks = Path(f"/proc/{pid}/task")
    try:
        listed = [task / "children" for task in tasks.iterdir()]
    except FileNotFoundError:
        return []
    if listed and listed[0].exists():
        for path in listed:
            try:
                found += [int(p) for p in path.read_text().split()]
            except FileNotFoundError:
                pass
        return found
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def descendants(pid: int) -> list[int]:
    found = []
    for child in children(pid):
        found += [child, *descendants(child)]
    return found


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process (0 if it is gone), from /proc/PID/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_steal() -> tuple[int, int]:
    """(steal, total) CPU ticks of the whole machine so far, from /proc/stat. On a virtual machine,
    steal is time a CPU was ready to run but the hypervisor ran something else: a crawl then gets
    slower and its event loop may stall, whatever the crawl does. (0, 0) where there is no /proc."""
    try:
        with open("/proc/stat") as f:
            ticks = [int(n) for n in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return 0, 0
    return (ticks[7] if len(ticks) > 7 else 0), sum(ticks)


def steal_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    total = after[1] - before[1]
    return (after[0] - before[0]) / total if total > 0 else 0.0


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""


def crawl_memory(pid: int) -> dict:
    """RSS (kB) of the crawl process and of its cleaning workers: with forkserver the workers are the
    forkserver's children; with spawn, the crawl's children running spawn_main. The forkserver and
    the resource tracker are counted apart, as `helpers`."""
    workers, helpers = {}, {}
    for child in children(pid):
        command = cmdline(child)
        if "forkserver" in command:
            helpers[child] = rss_kb(child)
            workers.update({worker: rss_kb(worker) for worker in children(child)})
        elif "spawn_main" in command:
            workers[child] = rss_kb(child)
        else:
            helpers[child] = rss_kb(child)
    workers = {p: kb for p, kb in workers.items() if kb}
    return {"crawl": rss_kb(pid), "workers": workers, "helpers": helpers}
