"""What the benchmark scripts share: the dev sets, the scorer, the worker pool, a safe cleaner call and
an aligned-table printer. The dev sets and the scorer live outside the repo, in the shared folder."""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import os
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from newsclean import NotAnArticle, Page, clean_page
from newsclean.pool import PRELOAD

DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "shared"

#: Dev set name (as given to --set) -> file in SHARED/devset.
SETS = {"scrapinghub": "scrapinghub.jsonl.gz", "wcxb": "wcxb-dev-articles.jsonl.gz"}


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help="the shared folder holding devset/ and tools/ (default: %(default)s)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(),
                        help="worker processes (default: the number of CPUs, %(default)s)")


def load_scorer(shared: Path) -> ModuleType:
    """score_extraction.py, imported from its file so the benchmarks score exactly as it does."""
    path = shared / "tools" / "score_extraction.py"
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_sets(shared: Path, scorer: ModuleType, names: list[str]) -> dict[str, list[dict]]:
    sets = {name: scorer.read_jsonl(shared / "devset" / SETS[name]) for name in names}
    for pages in sets.values():
        for page in pages:
            page["url"] = page["url"] or ""  # a few wcxb pages have a null URL; Page.url is a str
    return sets


def make_pool(jobs: int) -> multiprocessing.pool.Pool:
    """A process pool (trafilatura is not thread-safe). forkserver, not fork: workers start from a
    clean process, and the preload imports the cleaner there once instead of in every worker."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)  # the cleaner's modules, warmed up (newsclean's own pool's)
    return context.Pool(jobs)


@dataclass
class Outcome:
    """What one system made of one page. Empty text when it found no article (`empty_reason`) or
    when it raised something else (`error`: a bug, reported but never fatal to the run)."""

    text: str
    empty_reason: str | None = None
    error: str | None = None


def guarded(func, *args) -> Outcome:
    """Run a system (a function returning text, None for no article) so that no page can stop the run."""
    try:
        text = func(*args)
    except NotAnArticle as exc:
        return Outcome("", empty_reason=exc.reason)
    except Exception as exc:  # noqa: BLE001 - any other exception is a bug to report, not to die on
        return Outcome("", error=f"{type(exc).__name__}: {exc}")
    return Outcome(text) if text else Outcome("", empty_reason="none")


def clean_text(url: str, raw_text: str) -> str:
    """newsclean's raw-text path."""
    return clean_page(Page(url=url, raw_text=raw_text)).text


def clean_html(url: str, html: str) -> str:
    """newsclean's HTML path (with no raw text to fall back on: the HTML's own visible text is the fallback)."""
    return clean_page(Page(url=url, html=html)).text


_NUMBER = re.compile(r"[-+]?[\d.]+(±[\d.]+)?%?")  # a cell right-aligned as a number


def print_table(header: list[str], rows: list[list[str]], groups: list[tuple[str, int]] = (),
                indent: str = "") -> None:
    """Rows as aligned columns: numbers right-aligned, other text left-aligned. `groups` are
    (label, number of columns) spans printed above the header, e.g. a dev set over its P, R, F1."""
    columns = list(zip(header, *rows))
    widths = [max(len(cell) for cell in column) for column in columns]
    numeric = [all(_NUMBER.fullmatch(cell) for cell in column[1:]) for column in columns]
    starts = [sum(span for _, span in groups[:i]) for i in range(len(groups))]
    for (label, span), start in zip(groups, starts):  # a label wider than its columns widens the first
        widths[start] += max(0, len(label) - (sum(widths[start:start + span]) + 2 * (span - 1)))

    def line(cells):
        return indent + "  ".join(c.rjust(w) if right else c.ljust(w)
                                  for c, w, right in zip(cells, widths, numeric)).rstrip()

    if groups:
        print(indent + "  ".join(label.center(sum(widths[start:start + span]) + 2 * (span - 1))
                                 for (label, span), start in zip(groups, starts)).rstrip())
    print(line(header))
    print(indent + "  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))
