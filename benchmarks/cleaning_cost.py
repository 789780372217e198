#!/usr/bin/env python3
"""What cleaning costs, in CPU ms per page, step by step: reading the input (decode, checks), the
extraction (trafilatura on the HTML path; splitting lines on the raw-text path), each rule, the
paragraph repair and language detection. In-process, one page after another, CPU time (not wall
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
import time
from collections import defaultdict
from pathlib import Path

from common import DEFAULT_SHARED, SETS, load_scorer, load_sets, print_table
from newsclean import NotAnArticle, Page
from newsclean.blocks import from_text
from newsclean.clean import _inputs
from newsclean.extract import from_html, from_page_text
from newsclean.language import detect_language
from newsclean.options import Options
from newsclean.repair import join_broken
from newsclean.rules import RULES, metadata

FIELDS = {"text": "raw_text", "html": "html"}


def clean_timed(page: Page, costs: dict[str, float]) -> None:
    """clean_page's steps, each timed into `costs` (CPU seconds). The same steps in the same order
    as newsclean.clean; the empty, too-short and language checks cost nothing and are left out."""
    clock = time.process_time
    t = clock()
    try:
        html, raw_text = _inputs(page)
    except NotAnArticle:
        costs["read"] += clock() - t
        return
    costs["read"] += clock() - t
    t = clock()
    doc = from_html(page.url, html) if html is not None else None
    if doc is None:
        doc = from_text(page.url, raw_text) if raw_text is not None else from_page_text(page.url, html)
    costs["extract"] += clock() - t
    for func in RULES:
        t = clock()
        func(doc)
        costs[func.rule_name] += clock() - t  # type: ignore[attr-defined]
    t = clock()
    metadata.pick_date(doc)
    text = "\n".join(join_broken(doc.kept()))
    costs["repair"] += clock() - t
    if len(text) >= Options().min_length:
        t = clock()
        detect_language(text)
        costs["language"] += clock() - t


def measure(pages: list[Page], warmup: list[Page]) -> dict[str, float]:
    """ms per page of each step over `pages`, after cleaning `warmup` (other pages)."""
    for page in warmup:
        clean_timed(page, defaultdict(float))
    costs: dict[str, float] = defaultdict(float)
    for page in pages:
        clean_timed(page, costs)
    return {step: seconds / len(pages) * 1000 for step, seconds in costs.items()}


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
    steps = ["read", "extract", *(f.rule_name for f in RULES), "repair", "language"]  # type: ignore[attr-defined]
    table = [[step, *(f"{results[p].get(step, 0.0):.2f}" for p in paths)] for step in steps]
    table.append(["total", *(f"{sum(results[p].values()):.2f}" for p in paths)])
    table.append(["total but extract", *(f"{sum(results[p].values()) - results[p].get('extract', 0.0):.2f}"
                                         for p in paths)])
    print(f"CPU ms per page, {len(rows)} dev-set pages, each cleaned once after {len(warmup_rows)} others")
    print_table(["step", *paths], table)


if __name__ == "__main__":
    main()
