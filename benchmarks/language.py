#!/usr/bin/env python3
"""Language detection: the cost of each installed backend (langdetect, langdetect-rs) per article,
whether they agree, and (--sweep) how little of an article's text gives the same answer as all of it.

    .venv/bin/python benchmarks/language.py [--limit N] [--sweep] [--shared DIR]

The texts are the dev sets' gold article bodies (what newsclean's output approximates) and, with
--sweep, also the pages' raw text (navigation and all: a harder case for a short sample).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections import Counter
from pathlib import Path

from common import DEFAULT_SHARED, SETS, load_scorer, load_sets, print_table
from newsclean import language
from newsclean.language import BACKENDS, detect_language

BOUNDS = [250, 500, 750, 1000, 1200, 1500, 2000, 3000]
PREVIOUS_MAX_CHARS = 3000  # the bound before the sweep
WHOLE = 10**9  # langdetect itself reads at most 10,000 characters of what it is given


def detect_all(texts: list[str], backend: str, max_chars: int) -> tuple[list[str | None], float]:
    """Each text's language with `backend` reading at most `max_chars`, and the mean ms per text."""
    saved, language.MAX_CHARS = language.MAX_CHARS, max_chars
    try:
        start = time.perf_counter()
        answers = [detect_language(text, backend) for text in texts]
        elapsed = time.perf_counter() - start
    finally:
        language.MAX_CHARS = saved
    return answers, elapsed / max(1, len(texts)) * 1000


def timing(texts: list[str]) -> None:
    print(f"{len(texts)} gold texts, median length {statistics.median(len(t) for t in texts):.0f} characters; "
          f"MAX_CHARS = {language.MAX_CHARS}; default backend here: {language.BACKEND}")
    bounds = sorted({language.MAX_CHARS, PREVIOUS_MAX_CHARS}) + [WHOLE]
    rows, reference = [], None
    for backend in BACKENDS:
        detect_all(texts[:5], backend, WHOLE)  # first calls warm caches up
        timed = [detect_all(texts, backend, bound) for bound in bounds]
        at_max = timed[bounds.index(language.MAX_CHARS)][0]
        reference = reference or at_max
        rows.append([backend] + [f"{ms:.3f}" for _, ms in timed] + [str(sum(a != b for a, b in zip(at_max, reference)))])
    print_table(["backend"] + [f"ms/article ({bound} chars)" if bound != WHOLE else "ms/article (whole text)"
                               for bound in bounds] + ["answers differing from langdetect"], rows)
    if "langdetect-rs" not in BACKENDS:
        print("langdetect-rs is not installed (pip install 'newsclean[fast]'): only langdetect measured")
    counts = Counter(reference)
    print("languages found:", ", ".join(f"{lang} {n}" for lang, n in counts.most_common()))


def sweep(kinds: dict[str, list[str]]) -> None:
    """For each bound, how many answers differ from the answer on the whole text."""
    backend = "langdetect-rs" if "langdetect-rs" in BACKENDS else "langdetect"
    print(f"\nanswers at N characters that differ from the whole text's (backend {backend}):")
    whole = {kind: detect_all(texts, backend, WHOLE)[0] for kind, texts in kinds.items()}
    rows, examples = [], []
    for bound in BOUNDS:
        row = [str(bound)]
        for kind, texts in kinds.items():
            answers = detect_all(texts, backend, bound)[0]
            differ = [i for i, (a, b) in enumerate(zip(answers, whole[kind])) if a != b]
            row.append(str(len(differ)))
            examples += [(bound, kind, i, whole[kind][i], answers[i]) for i in differ]
        rows.append(row)
    print_table(["N"] + [f"{kind} ({len(texts)})" for kind, texts in kinds.items()], rows)
    for bound, kind, i, full, short in examples[:12]:
        print(f"  N={bound}: {kind} #{i} ({len(kinds[kind][i])} chars): {full} on the whole text, {short} at N")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", default=DEFAULT_SHARED, type=Path,
                        help="the shared folder holding devset/ and tools/ (default: %(default)s)")
    parser.add_argument("--limit", type=int, help="only the first N pages of each set")
    parser.add_argument("--sweep", action="store_true", help="also: answers at N characters vs the whole text")
    args = parser.parse_args()

    scorer = load_scorer(args.shared)
    sets = load_sets(args.shared, scorer, list(SETS))
    pages = [page for pages in sets.values() for page in pages[:args.limit]]
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    timing([page["gold_text"] for page in pages])
    if args.sweep:
        sweep({"gold": [page["gold_text"] for page in pages], "raw_text": [page["raw_text"] for page in pages]})


if __name__ == "__main__":
    main()
