#!/usr/bin/env python3
"""What cleaning costs, in CPU ms per page, step by step: reading the input (decode, checks), the
extraction (trafilatura on the HTML path; splitting lines on the raw-text path), each rule, the rules'
settling rounds, the date's choice, the paragraph repair and language detection. The real clean_page
runs, its steps timed where it calls them; in-process, one page after another, CPU time (not wall
time), so a busy machine hardly moves the figures.

    .venv/bin/python benchmarks/cleaning_cost.py [--pages 150] [--warmup 30] [--path text|html|both]

The `--warmup` pages after the measured ones in each dev set are cleaned first (htmldate's month names,
phrase data, language profiles), then the first `--pages` pages of each set are timed, each cleaned
once: the line caches (folded text, phrase matches) must not have seen a page before, as in a crawl.
A rule's figure includes the shape of the lines it is the first to ask about (folded text, word
counts), so it moves when the rules before it change.
"""

from __future__ import annotations

import argparse
import functools
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from common import DEFAULT_SHARED, SETS, load_scorer, load_sets, print_table
import newsclean.clean
import newsclean.rules
from newsclean import NotAnArticle, Page
from newsclean.clean import clean_page
from newsclean.rules import RULES, metadata

FIELDS = {"text": "raw_text", "html": "html"}
# clean_page's steps, as the module attributes it calls them by, and the step each is counted under.
# The rules are counted each under its name (the settling rounds after them under "settle"); what is
# left of clean_page's time (the checks between the steps) under "other".
_STEPS = [(newsclean.clean, "_inputs", "read"), (newsclean.clean, "_read", "extract"),
          (newsclean.clean, "join_broken", "repair"), (newsclean.clean, "detect_language", "language"),
          (metadata, "pick_date", "pick_date")]


def _timed(func, step: str, costs: dict[str, float]):
    @functools.wraps(func)  # keeps a rule's rule_name
    def run(*args, **kwargs):
        started = time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            costs[step] += time.process_time() - started
    return run


@contextmanager
def timing(costs: dict[str, float]):
    """While it lasts, clean_page's own steps add their CPU seconds to `costs`: the real clean_page runs,
    with the HTML path's fallback to the page's text and the settling rounds of the rules."""
    patched = [(module, name, getattr(module, name)) for module, name, _ in _STEPS]
    patched += [(newsclean.rules, "RULES", newsclean.rules.RULES), (newsclean.rules, "SETTLE", newsclean.rules.SETTLE)]
    try:
        for module, name, step in _STEPS:
            setattr(module, name, _timed(getattr(module, name), step, costs))
        newsclean.rules.RULES = tuple(_timed(f, f.rule_name, costs) for f in RULES)  # type: ignore[attr-defined]
        newsclean.rules.SETTLE = tuple(_timed(f, "settle", costs) for f in newsclean.rules.SETTLE)
        yield
    finally:
        for module, name, original in patched:
            setattr(module, name, original)


def measure(pages: list[Page], warmup: list[Page]) -> dict[str, float]:
    """ms per page of each step over `pages`, after cleaning `warmup` (other pages)."""
    for page in warmup:
        _clean(page)
    costs: dict[str, float] = defaultdict(float)
    with timing(costs):
        for page in pages:
            started = time.process_time()
            _clean(page)
            costs["total"] += time.process_time() - started
    costs["other"] = costs["total"] - sum(seconds for step, seconds in costs.items() if step != "total")
    return {step: seconds / len(pages) * 1000 for step, seconds in costs.items()}


def _clean(page: Page) -> None:
    try:
        clean_page(page)
    except NotAnArticle:
        pass


def _pages(rows: list[dict], path: str) -> list[Page]:
    return [Page(url=row["url"], **{FIELDS[path]: row[FIELDS[path]]}) for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=150, help="pages of each dev set (default: %(default)s)")
    parser.add_argument("--path", choices=["text", "html", "both"], default="both")
    parser.add_argument("--warmup", type=int, default=30, help="pages of each set cleaned first, untimed (default: %(default)s)")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    args = parser.parse_args()
    sets = load_sets(args.shared, load_scorer(args.shared), list(SETS)).values()
    rows = [row for rows in sets for row in rows[:args.pages]]
    warmup_rows = [row for rows in sets for row in rows[args.pages:args.pages + args.warmup]]
    paths = ["text", "html"] if args.path == "both" else [args.path]
    results = {}
    for path in paths:
        results[path] = measure(_pages(rows, path), _pages(warmup_rows, path))
    steps = ["read", "extract", *dict.fromkeys(f.rule_name for f in RULES), "settle", "pick_date", "repair",  # type: ignore[attr-defined]
             "language", "other", "total"]
    table = [[step, *(f"{results[p].get(step, 0.0):.2f}" for p in paths)] for step in steps]
    table.append(["total but extract", *(f"{results[p]['total'] - results[p].get('extract', 0.0):.2f}"
                                         for p in paths)])
    print(f"CPU ms per page, {len(rows)} dev-set pages, each cleaned once after {len(warmup_rows)} others")
    print_table(["step", *paths], table)


if __name__ == "__main__":
    main()
