"""Benchmark of the screening rule engine (not a test).

    .venv/bin/python bench/screening.py                  # 100,000 random assessments
    .venv/bin/python bench/screening.py --count 20000 --stored 50000 --lang zh-hans

Prints assessments per second for (1) random requests already validated, as the engine sees
them, and (2) "rescore N stored screenings": each stored as the JSON the database keeps, so
the figure includes decoding, validation and ``to_dict`` -- what re-scoring every screening
after a catalogue release costs. Requests are generated from a fixed seed, so runs compare.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import timeit
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from haven.screening.rules import (
    LANGUAGES,
    Answer,
    AssessmentRequest,
    Exploitation,
    assess_request,
    default_catalogue,
    parse_request,
)

# Share of each answer per indicator; "absent" leaves the ID out (it counts as unknown).
# Random requests leave many indicators open (the expensive case: many dimensions undetermined,
# a long "missing" list); stored screenings are mostly completed interviews.
RANDOM_WEIGHTS: dict[str, float] = {"yes": 0.2, "no": 0.45, "unknown": 0.2, "absent": 0.15}
STORED_WEIGHTS: dict[str, float] = {"yes": 0.15, "no": 0.75, "unknown": 0.05, "absent": 0.05}
EXPLOITATIONS: tuple[Exploitation, ...] = ("labour", "sexual", "both")


def random_request(
    rng: random.Random, ids: list[str], answer_weights: dict[str, float]
) -> dict[str, object]:
    choices = list(answer_weights)
    weights = list(answer_weights.values())
    drawn = rng.choices(choices, weights, k=len(ids))
    answers = {i: a for i, a in zip(ids, drawn, strict=True) if a != "absent"}
    age = None if rng.random() < 0.1 else rng.randint(8, 60)
    return {
        "age": age,
        "may_be_child": age is None and rng.random() < 0.5,
        "exploitation": rng.choice(EXPLOITATIONS),
        "answers": answers,
        "met_in_custody": rng.random() < 0.2,
    }


class Timer:
    """Wall-clock and CPU time of a block: on a shared machine the CPU time is the one to
    compare, since wall time also counts the time other processes held the CPU."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def rate(self, count: int, unit: str) -> str:
        return (
            f"{count / self.cpu:,.0f} {unit}/second of CPU time "
            f"({count / self.wall:,.0f}/second wall clock; {self.cpu:.2f} s CPU, "
            f"{self.wall:.2f} s wall)"
        )


def bench_random(requests: list[AssessmentRequest], lang: str) -> tuple[Timer, Counter[str]]:
    outcomes: Counter[str] = Counter()
    with Timer() as timer:
        for request in requests:
            outcomes[assess_request(request, lang=lang).outcome] += 1
    return timer, outcomes


def bench_rescore(stored: list[str], lang: str) -> Timer:
    with Timer() as timer:
        for row in stored:
            assess_request(parse_request(json.loads(row)), lang=lang).to_dict()
    return timer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="random assessments")
    parser.add_argument("--stored", type=int, default=20_000, help="stored screenings to rescore")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--lang", choices=LANGUAGES, default="en")
    args = parser.parse_args()

    start = time.perf_counter()
    catalogue = default_catalogue()
    load = time.perf_counter() - start
    ids = [i.id for i in catalogue.indicators] + [u.id for u in catalogue.urgent_items]
    rng = random.Random(args.seed)
    print(f"catalogue {catalogue.version}: {len(ids)} items, loaded in {load * 1000:.0f} ms")
    # A fixed pure-Python workload, to compare figures taken on different machines.
    calibration = min(timeit.repeat("sum(range(1000))", number=2000, repeat=5)) / 2000
    print(f"machine calibration: sum(range(1000)) takes {calibration * 1e6:.1f} us")

    requests = []
    for _ in range(args.count):
        raw = random_request(rng, ids, RANDOM_WEIGHTS)
        answers: dict[str, Answer] = raw["answers"]  # type: ignore[assignment]
        requests.append(
            AssessmentRequest(
                age=raw["age"],  # type: ignore[arg-type]
                exploitation=raw["exploitation"],  # type: ignore[arg-type]
                may_be_child=bool(raw["may_be_child"]),
                answers=answers,
                met_in_custody=bool(raw["met_in_custody"]),
            )
        )
    timer, outcomes = bench_random(requests, args.lang)
    print(f"random: {args.count:,} assessments: " + timer.rate(args.count, "assessments"))
    print("  outcomes: " + ", ".join(f"{k} {v:,}" for k, v in sorted(outcomes.items())))

    stored = [json.dumps(random_request(rng, ids, STORED_WEIGHTS)) for _ in range(args.stored)]
    timer = bench_rescore(stored, args.lang)
    print(
        f"rescore {args.stored:,} stored screenings (JSON -> validate -> assess -> dict): "
        + timer.rate(args.stored, "screenings")
    )


if __name__ == "__main__":
    main()
