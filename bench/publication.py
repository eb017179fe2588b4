"""Benchmark of the publication core (not a test).

    .venv/bin/python bench/publication.py                       # 100,000 and 1,000,000 cases
    .venv/bin/python bench/publication.py --sizes 20000 --repeats 5

For each size, synthetic cases with a realistic skew (``synthetic_cases``: Greater Mekong ->
China/Thailand, China/Viet Nam -> EU/UK, ... plus a long tail) are made from a fixed seed, and
the script prints:

- the time to prepare the records (encode them once), to compute a release of the eight
  default one-way tables (Laplace, epsilon 1 in total), to make the k-anonymised export and
  to write it as HTCDS CSV;
- utility at total epsilon 0.5, 1 and 4 (split equally over the eight tables): the mean
  relative error |published - true| / true over the cells whose true count is at least 10
  (relative error means nothing on empty cells) and at least 100, the mean absolute error over
  all cells, and the 95 % margin of a single-valued table's cells (multi-valued tables have
  2-3 times that); averaged over ``--repeats`` releases;
- the suppression rate and the generalisation levels of the k-anonymised export (k = 11).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import itertools

from haven.stats.htcds import write_csv
from haven.stats.publication import (
    PreparedCases,
    TableSpec,
    compute_release,
    default_tables,
    k_anonymise,
    prepare,
    synthetic_cases,
)

YEARS = range(2015, 2026)


def utility(
    prepared_cases: PreparedCases, epsilon: float, repeats: int
) -> tuple[float, float, float, int]:
    """(mean relative error on cells >= 10 and >= 100, mean absolute error, margin of a
    single-valued table)."""
    tables = default_tables()
    truth = [prepared_cases.counts(t) for t in tables]
    relative: list[float] = []
    relative_large: list[float] = []
    absolute: list[float] = []
    margin = 0
    for _ in range(repeats):
        release = compute_release(prepared_cases, tables, epsilon=epsilon)
        for table, exact in zip(release.tables, truth, strict=True):
            published = np.array([c.count for c in table.cells], dtype=float)
            big = exact >= 10
            relative.extend((np.abs(published[big] - exact[big]) / exact[big]).tolist())
            large = exact >= 100
            relative_large.extend((np.abs(published[large] - exact[large]) / exact[large]).tolist())
            absolute.extend(np.abs(published - exact).tolist())
            if table.sensitivity == 1:
                margin = table.margin
    return (
        float(np.mean(relative)),
        float(np.mean(relative_large)),
        float(np.mean(absolute)),
        margin,
    )


def run(size: int, *, k: int, epsilons: list[float], repeats: int, seed: int) -> None:
    print(f"\n== {size:,} synthetic cases (seed {seed}) ==")
    marks = [(time.perf_counter(), time.process_time())]

    def mark() -> None:
        marks.append((time.perf_counter(), time.process_time()))

    records = synthetic_cases(size, seed=seed)
    mark()
    prepared = prepare(records, years=YEARS, seed=seed)
    mark()
    compute_release(prepared, default_tables(), epsilon=1.0)
    mark()
    routes = compute_release(prepared, [TableSpec(("route_country",))], epsilon=1.0).tables[0]
    mark()
    export = k_anonymise(records, k=k)
    mark()
    buffer = io.StringIO()
    write_csv(export.rows, buffer, columns=export.columns, allow_generalised=True)
    mark()

    # CPU seconds beside wall-clock ones: on a shared machine the wall clock mostly measures
    # the other people's load.
    print(f"{'step':<46}{'wall s':>9}{'CPU s':>9}")
    labels = (
        "generate records (not part of Haven)",
        "prepare (encode once, bound contributions)",
        "release: 8 tables, Laplace, OpenDP",
        "release: country routes, Laplace + threshold",
        f"k-anonymised export (k = {k})",
        f"write export as HTCDS CSV ({buffer.tell() / 1e6:.0f} MB)",
    )
    for label, (start, end) in zip(labels, itertools.pairwise(marks), strict=True):
        print(f"{label:<46}{end[0] - start[0]:>9.2f}{end[1] - start[1]:>9.2f}")
    present = len(prepared.open_counts(routes.spec))
    print(
        f"country routes: {len(routes.cells):,} of {present:,} published at epsilon 1, "
        f"delta {routes.delta:.2g} (threshold {routes.threshold}, margin {routes.margin})"
    )
    truncated = ", ".join(f"{d} {n:,}" for d, n in prepared.truncated.items())
    print(f"people truncated to the contribution bound: {truncated}")

    print(
        f"\n{'epsilon':>8}{'MRE cells>=10':>16}{'MRE cells>=100':>16}{'MAE all cells':>15}"
        f"{'95% margin':>12}"
    )
    for epsilon in epsilons:
        mre, mre_large, mae, margin = utility(prepared, epsilon, repeats)
        print(f"{epsilon:>8g}{mre:>16.2%}{mre_large:>16.2%}{mae:>15.2f}{margin:>12d}")

    report = export.report
    print(
        f"\nk = {report.k}: published {report.rows_published:,} of {report.rows_in:,} rows, "
        f"suppressed {report.rows_suppressed:,} ({report.suppression_rate:.2%}); "
        f"{report.equivalence_classes:,} classes, smallest {report.smallest_class}"
    )
    print("levels: " + ", ".join(f"{c} = {lvl}" for c, lvl in report.levels.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--epsilons", type=float, nargs="+", default=[0.5, 1.0, 4.0])
    parser.add_argument("--k", type=int, default=11)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    total = time.perf_counter()
    for size in args.sizes:
        run(size, k=args.k, epsilons=args.epsilons, repeats=args.repeats, seed=args.seed)
    print(f"\ntotal {time.perf_counter() - total:.1f} s wall, {time.process_time():.1f} s CPU")


if __name__ == "__main__":
    main()
