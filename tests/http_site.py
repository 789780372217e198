"""A real HTTP server on 127.0.0.1 for crawl tests: serves fixed bodies with the Content-Type given,
and records every path requested."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _Server(ThreadingHTTPServer):
    # A crawl opens as many connections at once as it may have requests in flight: with the default
    # listen backlog (5) the kernel drops the SYNs beyond it, and those connections wait for TCP's
    # retries (1, 2, 4 ... 32 s), which stalls a crawl for tens of seconds.
    request_queue_size = 1024


class Site:
    """`pages` maps a path ("/news/a.html") to (Content-Type header, body bytes). Use as a context
    manager: the server listens on an ephemeral port while inside, and is shut down after."""

    def __init__(self, pages: dict[str, tuple[str, bytes]]):
        self.pages = dict(pages)
        self.requested: list[str] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                path = self.path.split("?", 1)[0]
                with site._lock:
                    site.requested.append(path)
                if path not in site.pages:
                    self.send_error(404)
                    return
                content_type, body = site.pages[path]
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):  # quiet
                pass

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def served(self, path: str) -> bool:
        with self._lock:
            return path in self.requested

    def __enter__(self) -> Site:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


def scrapy_command(root: Path, feed: Path, *args: str) -> list[str]:
    """`scrapy crawl articles` in the bundled project, writing `feed`, with the test-friendly settings."""
    return [sys.executable, "-m", "scrapy", "crawl", "articles", "-O", str(feed),
            "-s", "REMOTE_CONTROL_ENABLED=False", "-s", "LOG_LEVEL=INFO", *args]


def run_crawl(root: Path, feed: Path, *args: str) -> tuple[list[dict], str]:
    """Run the crawl to the end; its feed's records and its log."""
    done = subprocess.run(scrapy_command(root, feed, *args), cwd=root, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return read_feed(feed), done.stderr


def read_feed(feed: Path) -> list[dict]:
    return [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]


def stats(log: str) -> dict[str, int]:
    """The integer crawl stats Scrapy dumps at the end of the log."""
    dump = log[log.rindex("Dumping Scrapy stats:"):]
    return {name: int(value) for name, value in re.findall(r"'([^']+)': (\d+)[,}]", dump)}
