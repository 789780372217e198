#!/usr/bin/env python3
"""The appended-story benchmark: does the raw-text path keep the first story of a page and cut a
second, whole story appended after it (as an infinite-scroll page carries the next article)?

    .venv/bin/python benchmarks/appended.py [--limit N] [--seed S] [--jobs N] [--shared DIR]

A joined page is page A's raw_text, a blank line, then page B's raw_text, both from the same dev set.
B is either a random other page ("random") or the page whose gold text is most like A's ("same-topic":
bag-of-words cosine, the set's 100 most common words left out). Either way B is never A nor a
near-duplicate of A (gold texts sharing over half their 4-shingles), so the two stories differ.

Per joined page:
  first_kept  recall of A's gold shingles in the output (A alone: the same on A's page cleaned alone)
  second_cut  the output holds < 10% of the shingles of B's gold that are not in A's gold
"""

from __future__ import annotations

import argparse
import math
import random
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from common import SETS, add_common_arguments, clean_text, guarded, load_scorer, load_sets, make_pool, print_table

MODES = ("random", "same-topic")
COMMON_WORDS = 100  # left out of the same-topic similarity: they say nothing about the topic
DUPLICATE_SHARE = 0.5  # B is a near-duplicate of A when over this share of the smaller gold's shingles are shared
SECOND_KEPT_MAX = 0.10  # the second story counts as cut when less than this share of it is left
FIRST_KEPT_MIN = 0.95  # the first story counts as kept when its recall is at least this share of A alone's
WORST = 8
ID_WIDTH = 12

_WORD = re.compile(r"\w+")


@dataclass
class Gold:
    """What the pairing and the measures need of one page's gold text."""

    shingles: Counter  # 4-shingle counts, as the scorer makes them
    words: Counter  # lowercase word counts, common words left out
    norm: float  # Euclidean norm of `words`


def gold_features(scorer, pages: list[dict]) -> list[Gold]:
    words = [Counter(_WORD.findall(page["gold_text"].lower())) for page in pages]
    totals = Counter()
    for counts in words:
        totals.update(counts)
    common = {word for word, _ in totals.most_common(COMMON_WORDS)}
    features = []
    for page, counts in zip(pages, words):
        topical = Counter({w: n for w, n in counts.items() if w not in common})
        norm = math.sqrt(sum(n * n for n in topical.values()))
        features.append(Gold(scorer.shingles(page["gold_text"]), topical, norm))
    return features


def cosine(a: Gold, b: Gold) -> float:
    if not a.norm or not b.norm:
        return 0.0
    small, large = sorted((a.words, b.words), key=len)
    return sum(n * large[w] for w, n in small.items()) / (a.norm * b.norm)


def near_duplicates(a: Gold, b: Gold) -> bool:
    shared = len(a.shingles.keys() & b.shingles.keys())
    return shared > DUPLICATE_SHARE * min(len(a.shingles), len(b.shingles))


def pair_pages(features: list[Gold], firsts: list[int], rng: random.Random) -> dict[str, list[tuple[int, int]]]:
    """(A, B) page indexes for each mode. B can be any page of the set with a gold text, sampled or not."""
    candidates = [i for i, f in enumerate(features) if f.shingles]
    pairs = {mode: [] for mode in MODES}
    for a in firsts:
        def fits(b):
            return b != a and not near_duplicates(features[a], features[b])

        drawn = iter(lambda: rng.choice(candidates), None)  # endless draws; the first that fits is B
        pairs["random"].append((a, next(b for b in drawn if fits(b))))
        by_similarity = sorted(candidates, key=lambda b: -cosine(features[a], features[b]))
        pairs["same-topic"].append((a, next(b for b in by_similarity if fits(b))))
    return pairs


def run_clean(task: tuple) -> tuple[tuple, object]:
    key, url, raw_text = task
    return key, guarded(clean_text, url, raw_text)


def recall(scorer, gold: Counter, text: str) -> float:
    return sum((gold & scorer.shingles(text)).values()) / sum(gold.values())


def measure(scorer, pages, features, a: int, b: int, joined: str, alone: str) -> dict:
    output = scorer.shingles(joined).keys()
    second_only = features[b].shingles.keys() - features[a].shingles.keys()
    first_kept = recall(scorer, features[a].shingles, joined)
    alone_recall = recall(scorer, features[a].shingles, alone)
    second_left = len(second_only & output) / len(second_only)
    return {"a": pages[a]["id"], "b": pages[b]["id"], "first_kept": first_kept, "alone": alone_recall,
            "second_left": second_left, "second_cut": second_left < SECOND_KEPT_MAX,
            "first_ok": first_kept >= FIRST_KEPT_MIN * alone_recall}


def clean_all(sets: dict, pairs: dict, jobs: int) -> dict:
    """Every first page alone and every joined page, cleaned in one pool run. Keys: (set, "alone", A)
    and (set, mode, A, B), A and B page indexes."""
    tasks = {}
    for set_name, by_mode in pairs.items():
        pages = sets[set_name]
        for mode, mode_pairs in by_mode.items():
            for a, b in mode_pairs:
                tasks[(set_name, "alone", a)] = (pages[a]["url"], pages[a]["raw_text"])
                joined = pages[a]["raw_text"].rstrip("\n") + "\n\n" + pages[b]["raw_text"]
                tasks[(set_name, mode, a, b)] = (pages[a]["url"], joined)
    with make_pool(jobs) as pool:
        return dict(pool.imap_unordered(run_clean, [(key, *task) for key, task in tasks.items()], chunksize=4))


def summary_row(mode: str, set_name: str, results: list[dict]) -> list[str]:
    n = len(results)
    return [mode, set_name, str(n),
            f"{100 * sum(r['second_cut'] for r in results) / n:.1f}",
            f"{statistics.mean(r['first_kept'] for r in results):.3f}",
            f"{statistics.mean(r['alone'] for r in results):.3f}",
            f"{100 * sum(r['first_ok'] for r in results) / n:.1f}"]


def print_worst(mode: str, set_name: str, results: list[dict]) -> None:
    """The failing pages, worst first: most of B left in, plus however much of A the join lost."""
    failed = [r for r in results if not (r["second_cut"] and r["first_ok"])]
    failed.sort(key=lambda r: -(r["second_left"] + max(0.0, r["alone"] - r["first_kept"])))
    print(f"\n{mode} on {set_name}: {len(failed)} of {len(results)} pages fail; "
          f"the {min(WORST, len(failed))} worst")
    if failed:
        rows = [[r["a"][:ID_WIDTH], r["b"][:ID_WIDTH], f"{r['alone']:.3f}", f"{r['first_kept']:.3f}",
                 f"{r['second_left']:.3f}",
                 ", ".join(name for name, ok in (("second kept", r["second_cut"]), ("first cut", r["first_ok"]))
                           if not ok)]
                for r in failed[:WORST]]
        print_table(["A", "B", "A alone R", "first_kept", "B left", "failed"], rows, indent="  ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=200, help="first pages (A) sampled per set (default: 200)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample and the random pairing")
    add_common_arguments(parser)
    args = parser.parse_args()

    scorer = load_scorer(args.shared)
    sets = load_sets(args.shared, scorer, list(SETS))
    features, pairs = {}, {}
    for set_name, pages in sets.items():
        rng = random.Random(f"{args.seed}/{set_name}")
        features[set_name] = gold_features(scorer, pages)
        with_gold = [i for i, f in enumerate(features[set_name]) if f.shingles]
        firsts = sorted(rng.sample(with_gold, min(args.limit, len(with_gold))))
        pairs[set_name] = pair_pages(features[set_name], firsts, rng)

    outcomes = clean_all(sets, pairs, args.jobs)
    results = {(mode, set_name): [measure(scorer, sets[set_name], features[set_name], a, b,
                                          outcomes[(set_name, mode, a, b)].text,
                                          outcomes[(set_name, "alone", a)].text)
                                  for a, b in by_mode[mode]]
               for mode in MODES for set_name, by_mode in pairs.items()}

    print_table(["mode", "set", "pages", "2nd cut %", "first_kept", "A alone R", "1st kept %"],
                [summary_row(mode, set_name, rs) for (mode, set_name), rs in results.items()])
    print(f"2nd cut: < {SECOND_KEPT_MAX:.0%} of B's own shingles left | "
          f"1st kept: first_kept >= {FIRST_KEPT_MIN} x A alone's recall")
    for (mode, set_name), rs in results.items():
        print_worst(mode, set_name, rs)

    # key[2:] are the page indexes: A alone, or A then B
    errors = sorted((key[0], key[1], "+".join(sets[key[0]][i]["id"] for i in key[2:]), outcome.error)
                    for key, outcome in outcomes.items() if outcome.error)
    if errors:
        print("\nexceptions other than NotAnArticle (counted as empty output):")
        for set_name, what, ids, error in errors:
            print(f"  {set_name:<12} {what:<10} {ids}  {error}")


if __name__ == "__main__":
    main()
