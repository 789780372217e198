#!/usr/bin/env python3
"""Extraction quality on the dev sets: newsclean's HTML path, its raw-text path and trafilatura alone,
scored with the shared score_extraction.py (4-token shingle P/R/F1, and snippets on wcxb).

    .venv/bin/python benchmarks/quality.py [--set scrapinghub|wcxb] [--limit N] [--jobs N] [--save DIR]
    .venv/bin/python benchmarks/quality.py --explain ID [--path html|text]

--explain shows one page cleaned, line by line in page order: kept (+) or removed (- and the rule).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import trafilatura

from common import (SETS, Outcome, add_common_arguments, clean_html, clean_text, guarded, load_scorer, load_sets,
                    make_pool, print_table)
from newsclean import NotAnArticle, Page, clean_page


def trafilatura_alone(url: str, html: str) -> str | None:
    return trafilatura.extract(html, url=url, include_comments=False)


#: System name -> (function of (url, input), the page field it reads).
SYSTEMS = {
    "newsclean html": (clean_html, "html"),
    "newsclean text": (clean_text, "raw_text"),
    "trafilatura alone": (trafilatura_alone, "html"),
}
WORST = 8
ID_WIDTH = 12  # scrapinghub ids are 64-hex hashes; --explain takes any unique prefix
URL_WIDTH = 70


def run_task(task: tuple) -> tuple[str, int, Outcome]:
    """One system on one page (in a worker)."""
    system, set_name, index, url, page_input = task
    return set_name, index, guarded(SYSTEMS[system][0], url, page_input)


def run_systems(sets: dict[str, list[dict]], jobs: int) -> tuple[dict, dict]:
    """outcomes[system][set][page index], and each system's wall time. The systems run one after the
    other on the same pool so that each one's wall time is its own."""
    outcomes, wall = {}, {}
    with make_pool(jobs) as pool:
        for system, (_, field) in SYSTEMS.items():
            tasks = [(system, set_name, i, page["url"], page[field])
                     for set_name, pages in sets.items() for i, page in enumerate(pages)]
            outcomes[system] = {set_name: [None] * len(pages) for set_name, pages in sets.items()}
            start = time.perf_counter()
            # chunksize 1: page costs vary a lot, and a task is small next to the cleaning
            for set_name, index, outcome in pool.imap_unordered(run_task, tasks, chunksize=1):
                outcomes[system][set_name][index] = outcome
            wall[system] = time.perf_counter() - start
            print(f"{system}: {len(tasks)} pages in {wall[system]:.1f} s", file=sys.stderr)
    return outcomes, wall


def page_scores(scorer, gold: str, text: str) -> tuple[float, float, float]:
    """One page's shingle P, R, F1, as the scorer computes them for a set of one."""
    return scorer.prf([scorer.shingle_counts(gold, text)])


def print_summary(scorer, sets: dict, outcomes: dict, wall: dict) -> None:
    header, groups = ["system"], [("", 1)]
    for set_name, pages in sets.items():
        columns = ["P", "R", "F1±std", "empty"] + (["snip F1"] if set_name == "wcxb" else [])
        header += columns
        groups.append((f"{set_name} ({len(pages)} pages)", len(columns)))
    header += ["errors", "wall s"]
    groups.append(("", 2))

    rows = []
    for system, by_set in outcomes.items():
        row = [system]
        for set_name, pages in sets.items():
            results = by_set[set_name]
            scored = scorer.score(pages, [{"id": p["id"], "text": o.text} for p, o in zip(pages, results)])
            s = scored["shingle"]
            row += [f"{s['P']:.3f}", f"{s['R']:.3f}", f"{s['F1']:.3f}±{s['F1_std']:.3f}",
                    str(sum(not o.text for o in results))]
            if set_name == "wcxb":
                row.append(f"{scored['snippets']['F1']:.3f}")
        row += [str(sum(o.error is not None for results in by_set.values() for o in results)),
                f"{wall[system]:.1f}"]
        rows.append(row)
    print_table(header, rows, groups)


def print_worst(scorer, sets: dict, outcomes: dict) -> None:
    for system, by_set in outcomes.items():
        if not system.startswith("newsclean"):
            continue
        for set_name, pages in sets.items():
            rows = []
            for page, outcome in zip(pages, by_set[set_name]):
                p, r, f1 = page_scores(scorer, page["gold_text"], outcome.text)
                # errors are shortened here; print_errors gives them in full
                note = (outcome.error or "")[:60] or (f"not an article ({outcome.empty_reason})"
                                                      if outcome.empty_reason else "")
                rows.append((f1, page["id"], [page["id"][:ID_WIDTH], page["url"][:URL_WIDTH],
                                              f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}", note]))
            rows.sort(key=lambda row: row[:2])
            zero = sum(f1 == 0 for f1, *_ in rows)
            print(f"\n{system}: {WORST} worst pages on {set_name} by shingle F1 ({zero} pages at F1 0)")
            print_table(["id", "url", "P", "R", "F1", "note"], [row for *_, row in rows[:WORST]], indent="  ")


def print_errors(sets: dict, outcomes: dict) -> None:
    errors = [(system, set_name, page["id"], outcome.error)
              for system, by_set in outcomes.items() for set_name, pages in sets.items()
              for page, outcome in zip(pages, by_set[set_name]) if outcome.error]
    if errors:
        print("\nexceptions other than NotAnArticle (counted as empty output):")
        for system, set_name, page_id, error in errors:
            print(f"  {system:<18} {set_name:<12} {page_id}  {error}")


def save(directory: Path, sets: dict, outcomes: dict) -> None:
    """SET.SYSTEM.jsonl per dev set and system, lines {"id", "text"}: what score_extraction.py reads."""
    directory.mkdir(parents=True, exist_ok=True)
    for system, by_set in outcomes.items():
        for set_name, pages in sets.items():
            path = directory / f"{set_name}.{system.replace(' ', '-')}.jsonl"
            with path.open("w", encoding="utf-8") as f:
                for page, outcome in zip(pages, by_set[set_name]):
                    f.write(json.dumps({"id": page["id"], "text": outcome.text}, ensure_ascii=False) + "\n")
    print(f"\npredictions saved in {directory}/ as SET.SYSTEM.jsonl")


def explain(scorer, sets: dict, page_id: str, path: str) -> None:
    matches = [(set_name, page) for set_name, pages in sets.items() for page in pages
               if page["id"].startswith(page_id)]
    if len(matches) != 1:
        sys.exit(f"--explain {page_id}: {len(matches)} pages have an id starting so; give a longer one")
    set_name, page = matches[0]
    print(f"{set_name} {page['id']}\n{page['url']}")
    try:
        article = clean_page(Page(url=page["url"], html=page["html"]) if path == "html"
                             else Page(url=page["url"], raw_text=page["raw_text"]))
    except NotAnArticle as exc:
        print(f"\nNotAnArticle({exc.reason!r}): {exc.message}")
    else:
        p, r, f1 = page_scores(scorer, page["gold_text"], article.text)
        print(f"path {path} -> source {article.source} | title {article.title!r} | date {article.date} | "
              f"language {article.language}\nshingle P {p:.3f} R {r:.3f} F1 {f1:.3f}")
        print("\n+ kept / - removed [rule], in page order:")
        print("\n".join(in_page_order(page["raw_text"], article)))
    print("\ngold text:")
    print(page["gold_text"])


def in_page_order(raw_text: str, article) -> list[str]:
    """The article's kept lines (+) and removed blocks (- [rule]) interleaved in page order. Each list
    is in page order already, so each item is looked up in the page's raw text after the previous item
    of its own list (then anywhere: trimmed pieces come last in `removed`); one not found at all (a line
    the HTML path or the line repair changed) stays just after its predecessor."""
    reference = " ".join(raw_text.split())
    kept = [(line, f"+ {line}") for line in article.text.splitlines()]
    removed = [(r.text, f"- [{r.rule}] {r.text}") for r in article.removed]
    ordered = []
    for rank, items in enumerate((kept, removed)):
        cursor = 0
        for i, (text, shown) in enumerate(items):
            needle = " ".join(text.split())
            at = reference.find(needle, cursor)
            if at < 0:
                at = reference.find(needle)
            if at < 0:
                at = cursor
            else:
                cursor = max(cursor, at + len(needle))
            ordered.append((at, rank, i, shown))
    return [shown for *_, shown in sorted(ordered)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=sorted(SETS), help="one dev set only (default: both)")
    parser.add_argument("--limit", type=int, help="only the first N pages of each set")
    parser.add_argument("--save", type=Path, metavar="DIR", help="write each system's predictions here as JSONL")
    parser.add_argument("--explain", metavar="ID", help="show how one page (id or unique id prefix) is cleaned")
    parser.add_argument("--path", choices=["html", "text"], default="text", help="path --explain cleans with")
    add_common_arguments(parser)
    args = parser.parse_args()

    scorer = load_scorer(args.shared)
    sets = load_sets(args.shared, scorer, [args.set] if args.set else list(SETS))
    if args.explain:
        explain(scorer, sets, args.explain, args.path)
        return
    if args.limit:
        sets = {name: pages[:args.limit] for name, pages in sets.items()}

    outcomes, wall = run_systems(sets, args.jobs)
    print_summary(scorer, sets, outcomes, wall)
    print_worst(scorer, sets, outcomes)
    print_errors(sets, outcomes)
    if args.save:
        save(args.save, sets, outcomes)


if __name__ == "__main__":
    main()
