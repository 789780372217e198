#!/usr/bin/env python3
"""Memory over a long crawl: a `scrapy crawl` with newsclean of many pages (the dev-set pages again and
again under distinct URLs, /html/7?n=1981, served from memory on 127.0.0.1), with the resident memory
(VmRSS, from /proc) of the crawl process and of its cleaning workers sampled early and at the end.

    .venv/bin/python benchmarks/memory.py            # 10,000 pages, sampled at 1,000 and at the end
    .venv/bin/python benchmarks/memory.py --quick    # 3,000 pages, sampled at 300

Flat memory means each process's RSS at the end is within 20% of its RSS at the early sample.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from common import DEFAULT_SHARED, print_table
from crawlbench import STARTUP_S, Site, crawl_memory, load_pages, make_project, run_crawl, shell_command, stalls_text

GROWTH_LIMIT = 0.20


def mb(kb: float) -> str:
    return f"{kb / 1024:.0f}"


def summary(sample: dict) -> dict:
    workers = list(sample["workers"].values())
    return {"crawl": sample["crawl"], "workers sum": sum(workers), "workers max": max(workers, default=0),
            "forkserver etc.": sum(sample["helpers"].values())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help="the shared folder holding devset/ and tools/ (default: %(default)s)")
    parser.add_argument("--pages", type=int, default=10_000, help="pages crawled (default: %(default)s)")
    parser.add_argument("--early", type=int, default=1_000, help="the early sample, after this many pages "
                                                                  "(default: %(default)s)")
    parser.add_argument("--quick", action="store_true", help="3,000 pages, the early sample at 300")
    parser.add_argument("--kind", choices=["mixed", "html", "text"], default="mixed",
                        help="items with html, raw_text, or alternately both (default: %(default)s)")
    parser.add_argument("--concurrency", type=int, default=64, help="CONCURRENT_REQUESTS (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=os.cpu_count(),
                        help="NEWSCLEAN_WORKERS (default: the number of CPUs, %(default)s)")
    args = parser.parse_args()
    if args.quick:
        args.pages, args.early = 3_000, 300

    pages = load_pages(args.shared, 10**9)
    kinds = {"mixed": ["html", "text"], "html": ["html"], "text": ["text"]}[args.kind]
    print(f"{args.pages} pages ({args.kind}; {len(pages)} distinct dev-set pages, each under many URLs), "
          f"CONCURRENT_REQUESTS {args.concurrency}, NEWSCLEAN_WORKERS {args.workers}, {os.cpu_count()} CPUs; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)

    samples: dict[str, dict] = {}
    peak: dict[str, int] = {}
    started = time.perf_counter()

    def poll(process) -> None:
        served = site.served
        sample = crawl_memory(process.pid)
        if not sample["crawl"] or not sample["workers"]:
            return  # starting, or the pool already shut down
        sample.update(served=served, at=time.perf_counter() - started, load=os.getloadavg()[0])
        for name, kb in summary(sample).items():
            peak[name] = max(peak.get(name, 0), kb)
        if "early" not in samples and served >= args.early:
            samples["early"] = sample
            print(f"  early sample at {served} pages served, {sample['at']:.0f} s", flush=True)
        if served >= args.pages:
            samples["end"] = sample  # the last one taken while the workers are alive
        elif served // 1000 != samples.get("last", {}).get("served", 0) // 1000:
            print(f"  {served} pages served, {sample['at']:.0f} s, crawl {mb(sample['crawl'])} MB, "
                  f"workers {'/'.join(mb(kb) for kb in sample['workers'].values())} MB", flush=True)
        samples["last"] = sample

    with tempfile.TemporaryDirectory(prefix="newsclean-memory-") as tmp, Site(pages) as site:
        project = make_project(Path(tmp))
        urls = [site.url(kinds[n % len(kinds)], n % len(pages), n) for n in range(args.pages)]
        # one crawl, one kind of item per URL: the spider reads the field from the URL's path
        crawl = run_crawl(project, urls, "by-url", "newsclean", args.workers, args.concurrency, "memory",
                          poll=poll, poll_every=0.5)
    report = crawl.report
    end = samples.get("end") or samples.get("last")
    early = samples.get("early")
    print(f"\n{report['items']} items cleaned, {report['dropped']} dropped, of {args.pages} pages, in "
          f"{report['crawl_s']:.0f} s ({crawl.pages_per_s:.1f} pages/s); load average at the end "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; the hypervisor took {crawl.steal:.1%} of the "
          f"machine's CPU time meanwhile")
    stalls = report["stalls"]
    late = [ms for at, ms, _ in stalls if at >= STARTUP_S]
    print(f"event loop: longest stall {report['lag_max_ms']:.0f} ms, {max(late, default=0):.0f} ms after the first "
          f"{STARTUP_S:.0f} s; longest garbage collection of the crawl {report['gc_max_ms']:.0f} ms; stalls over "
          f"100 ms: {stalls_text(stalls, 12)}")
    drops = {k.rsplit("/", 1)[1]: v for k, v in report["newsclean"].items() if k.startswith("newsclean/dropped/")}
    if drops:
        print("dropped: " + ", ".join(f"{n} {reason}" for reason, n in sorted(drops.items())))
    if early is None or end is None:
        print("no early sample: the crawl ended before the early mark (raise --pages)")
        return
    rows, grown = [], []
    for name, kb_early in summary(early).items():
        kb_end = summary(end)[name]
        growth = (kb_end - kb_early) / kb_early if kb_early else 0.0
        if growth > GROWTH_LIMIT and name != "forkserver etc.":
            grown.append(f"{name} +{growth:.0%} ({mb(kb_early)} -> {mb(kb_end)} MB)")
        rows.append([name, mb(kb_early), mb(kb_end), mb(peak.get(name, 0)), f"{growth:+.0%}"])
    print(f"\nRSS in MB at {early['served']} pages served and at {end['served']} (the end; peak: the most seen):")
    print_table(["process", f"at {early['served']}", f"at {end['served']}", "peak", "growth"], rows)
    same = sorted(early["workers"]) == sorted(end["workers"])
    print(f"worker pids {sorted(early['workers'])} early, {sorted(end['workers'])} at the end"
          f"{'' if same else ' (replaced during the crawl)'}")
    print(f"per worker at the end: {', '.join(f'{pid}: {mb(kb)} MB' for pid, kb in end['workers'].items())}")
    print(f"\nFlat memory (each process within {GROWTH_LIMIT:.0%} of its early RSS): "
          + ("yes" if not grown else "NO: " + "; ".join(grown)))
    print(f"\ncommand: {shell_command(crawl.command)}")


if __name__ == "__main__":
    main()
