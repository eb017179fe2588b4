from __future__ import annotations

from haven_link import dedupe, link_clear

from .synth import generate


def test_dedupe_clusters_one_agency(schema) -> None:
    a, b, truth = generate(600, overlap=0.5, seed=5)
    records = a + b  # the same people entered twice, in different scripts
    numbers = dedupe(records, schema)
    index = {r["id"]: i for i, r in enumerate(records)}
    together = sum(numbers[index[x]] == numbers[index[y]] for x, y in truth)
    assert together / len(truth) > 0.85
    sizes: dict[int, int] = {}
    for n in numbers:
        sizes[n] = sizes.get(n, 0) + 1
    assert max(sizes.values()) <= 4  # no runaway cluster
    assert len(sizes) < len(records) - 0.8 * len(truth)


def test_em_learns_without_labels(schema) -> None:
    a, b, truth = generate(600, overlap=0.5, seed=6)
    scored = link_clear(a, b, schema)
    model = scored.model
    assert 0.001 < model.prior < 0.5
    name = model.fields.index("name")
    assert model.m[name, 3] > model.u[name, 3] * 5
    top = scored.probabilities >= 0.5
    pairs = {(a[i]["id"], b[j]["id"]) for i, j in scored.pairs[top].tolist()}
    assert len(pairs & truth) / len(pairs) > 0.8
