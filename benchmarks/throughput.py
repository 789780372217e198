#!/usr/bin/env python3
"""Crawl throughput and event-loop stalls: real `scrapy crawl` runs of dev-set pages served by a local
HTTP server, with newsclean (the ADDONS line), with trafilatura called inline in a pipeline (what a
project writes without newsclean), and with no pipeline (Scrapy's own cost, the ceiling). One more
inline pipeline, "inline-all-fields", also asks trafilatura for the metadata newsclean gives (title,
date, author, site name) and langdetect for the language: what the same record costs without
newsclean. The target compares with the text-only inline crawl.

    .venv/bin/python benchmarks/throughput.py [--pages 300] [--rounds 2] [--concurrency 64] [--workers N]

HTML items run all four; raw-text items run newsclean and no pipeline (trafilatura needs HTML). The
crawls alternate (a, b, c, d, a, b, c, d, ...) so a change in the machine's load hits them alike; each
figure is the median over the rounds. The quality of newsclean's and inline trafilatura's output on
the crawled pages is scored as benchmarks/quality.py scores it (4-shingle P/R/F1).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import DEFAULT_SHARED, load_scorer, print_table
from crawlbench import STARTUP_S, Site, load_pages, make_project, page_index, run_crawl, shell_command, stalls_text

PLAN = {"html": ["newsclean", "inline-trafilatura", "inline-all-fields", "no pipeline"],
        "text": ["newsclean", "no pipeline"]}
HTML_TARGET = 1.6  # newsclean's HTML crawl vs the inline-trafilatura crawl
TEXT_TARGET = 0.8  # newsclean's raw-text crawl vs the crawl with no pipeline
STALL_TARGET_MS = 100.0


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def quality(scorer, pages: list[dict], crawl) -> tuple[float, float, float, int]:
    """Shingle P, R, F1 of a crawl's feed against the gold texts, and how many pages have no text."""
    texts = {page_index(record["url"]): record.get("text") or "" for record in crawl.records()}
    predictions = [{"id": page["id"], "text": texts.get(i, "")} for i, page in enumerate(pages)]
    shingle = scorer.score(pages, predictions)["shingle"]
    return shingle["P"], shingle["R"], shingle["F1"], sum(not p["text"] for p in predictions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help="the shared folder holding devset/ and tools/ (default: %(default)s)")
    parser.add_argument("--pages", type=int, default=300, help="dev-set pages crawled (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=2, help="crawls of each kind (default: %(default)s)")
    parser.add_argument("--concurrency", type=int, default=64, help="CONCURRENT_REQUESTS (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=os.cpu_count(),
                        help="NEWSCLEAN_WORKERS (default: the number of CPUs, %(default)s)")
    parser.add_argument("--kinds", default="html,text", help="item kinds to crawl (default: %(default)s)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="build the project and keep feeds and logs here")
    args = parser.parse_args()

    scorer = load_scorer(args.shared)
    pages = load_pages(args.shared, args.pages)
    kinds = [kind for kind in args.kinds.split(",") if kind]
    print(f"{len(pages)} dev-set pages ({sum(p['set'] == 'scrapinghub' for p in pages)} scrapinghub, "
          f"{sum(p['set'] == 'wcxb' for p in pages)} wcxb), {args.rounds} rounds, CONCURRENT_REQUESTS "
          f"{args.concurrency}, NEWSCLEAN_WORKERS {args.workers}, {os.cpu_count()} CPUs; load average {load()}")
    with tempfile.TemporaryDirectory(prefix="newsclean-throughput-") as tmp, Site(pages) as site:
        project = make_project(args.keep or Path(tmp))
        crawls: dict[tuple[str, str], list] = {}
        header = ["round", "kind", "variant", "items", "dropped", "first item s", "crawl s", "pages/s", "wall s",
                  "stall max ms", "p99 ms", ">100ms", "CPU ms/page", "load 1m", "steal %"]
        rows = []
        for round_ in range(1, args.rounds + 1):
            for kind in kinds:
                urls = [site.url(kind, i) for i in range(len(pages))]
                for variant in PLAN[kind]:
                    tag = f"r{round_}.{kind}.{variant.replace(' ', '-')}"
                    crawl = run_crawl(project, urls, kind, variant, args.workers, args.concurrency, tag)
                    crawls.setdefault((kind, variant), []).append(crawl)
                    r = crawl.report
                    row = [str(round_), kind, variant, str(r["items"]), str(r["dropped"]), f"{r['first_item_s']:.1f}",
                           f"{r['crawl_s']:.1f}",
                           f"{crawl.pages_per_s:.1f}", f"{crawl.wall_s:.1f}", f"{r['lag_max_ms']:.0f}",
                           f"{r['lag_p99_ms']:.0f}", str(r["lag_over_100ms"]),
                           "{:.0f}+{:.0f}".format(*crawl.cpu_ms_per_page), f"{crawl.load_before:.2f}",
                           f"{crawl.steal * 100:.1f}"]
                    rows.append(row)
                    print("  ".join(f"{h}={c}" for h, c in zip(header, row)), file=sys.stderr, flush=True)
        print("\nEach crawl (first item s: spider opened to first item out; crawl s: to the last; stall: how late a 10 ms timer ran; CPU ms/page: "
              "the crawl process + the processes under it; load 1m: the load average before it; steal %: the "
              "machine's CPU time its hypervisor took meanwhile):")
        print_table(header, rows)
        print("\nStalls over 100 ms (seconds after the spider opened: ms late, of which in the crawl's garbage collection):")
        for (kind, variant), runs in crawls.items():
            for round_, crawl in enumerate(runs, 1):
                print(f"  round {round_} {kind}/{variant}: {stalls_text(crawl.report['stalls'], 8)}")
        summarize(scorer, pages, crawls, kinds)
        print("\ncommands (in the generated project; the URLs file lists the served pages):")
        for (kind, variant), runs in crawls.items():
            print(f"  {kind}/{variant}: {shell_command(runs[0].command)}")
    print(f"\nload average at the end: {load()}")


def late_stall(runs) -> float:
    """The longest stall over 100 ms after a crawl's first STARTUP_S seconds, over the runs (0: none)."""
    return max([ms for crawl in runs for at, ms, _ in crawl.report["stalls"] if at >= STARTUP_S] or [0])


def summarize(scorer, pages, crawls, kinds) -> None:
    def rate(kind, variant):
        return statistics.median(c.pages_per_s for c in crawls[(kind, variant)])

    rows = []
    for kind in kinds:
        for variant in PLAN[kind]:
            runs = crawls[(kind, variant)]
            row = [kind, variant, f"{rate(kind, variant):.1f}"]
            row.append(f"{rate(kind, variant) / rate(kind, 'inline-trafilatura'):.2f}"
                       if kind == "html" else "-")
            row.append(f"{rate(kind, variant) / rate(kind, 'no pipeline'):.2f}")
            row += [f"{max(c.report['lag_max_ms'] for c in runs):.0f}", f"{late_stall(runs):.0f}",
                    f"{statistics.median(c.report['lag_p99_ms'] for c in runs):.0f}",
                    "{:.0f}+{:.0f}".format(*(statistics.median(c.cpu_ms_per_page[i] for c in runs) for i in (0, 1)))]
            if variant != "no pipeline":
                p, r, f1, empty = quality(scorer, pages, runs[0])
                row += [f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}", str(empty)]
            else:
                row += ["-"] * 4
            rows.append(row)
    print(f"\nMedian over the rounds ({len(pages)} pages):")
    print_table(["kind", "variant", "pages/s", "x inline", "x none", "worst stall ms", f"after {STARTUP_S:.0f}s", "p99 ms",
                 "CPU ms/page", "P", "R", "F1", "no text"], rows)

    print("\nTargets:")
    if "html" in kinds:
        ratio = rate("html", "newsclean") / rate("html", "inline-trafilatura")
        print(f"  HTML: newsclean {ratio:.2f}x the inline-trafilatura crawl (target >= {HTML_TARGET}x): "
              f"{'met' if ratio >= HTML_TARGET else 'NOT met'}")
        fields = rate("html", "newsclean") / rate("html", "inline-all-fields")
        print(f"  HTML, the same fields: newsclean {fields:.2f}x the inline crawl that also extracts metadata and "
              f"language (no target)")
        ours = quality(scorer, pages, crawls[("html", "newsclean")][0])[2]
        theirs = quality(scorer, pages, crawls[("html", "inline-trafilatura")][0])[2]
        print(f"  HTML quality: newsclean F1 {ours:.3f} vs inline trafilatura {theirs:.3f}: "
              f"{'equal or better' if ours >= theirs else 'worse'}")
    if "text" in kinds:
        ratio = rate("text", "newsclean") / rate("text", "no pipeline")
        print(f"  text: newsclean {ratio:.2f}x the crawl with no pipeline (target >= {TEXT_TARGET}x): "
              f"{'met' if ratio >= TEXT_TARGET else 'NOT met'}")
    for kind in kinds:
        ours = max(c.report["lag_max_ms"] for c in crawls[(kind, "newsclean")])
        base = max(c.report["lag_max_ms"] for c in crawls[(kind, "no pipeline")])
        later = late_stall(crawls[(kind, "newsclean")])
        print(f"  {kind} stalls: newsclean's longest {ours:.0f} ms ({later:.0f} ms after its first {STARTUP_S:.0f} s), "
              f"no pipeline's {base:.0f} ms (target: none over {STALL_TARGET_MS:.0f} ms caused by cleaning): "
              f"{'met' if ours <= max(STALL_TARGET_MS, base) else 'NOT met'}")


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"({time.perf_counter() - started:.0f} s in all)")
