from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from haven_link.cli import main

from .synth import generate

COLUMNS = [
    "id",
    "family_name",
    "given_name",
    "name_original",
    "date_of_birth",
    "sex",
    "citizenship",
]


def _csv(path: Path, rows: list[dict[str, str]], columns: list[str] = COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    a, b, _ = generate(120, overlap=0.5, seed=2)
    key = tmp_path / "key"
    key.write_text("a secret shared by the two agencies\n")
    other = tmp_path / "other-key"
    other.write_text("some other secret, not shared at all\n")
    return {"a": _csv(tmp_path / "a.csv", a), "b": _csv(tmp_path / "b.csv", b), "key": key,
            "other": other, "dir": tmp_path}  # fmt: skip


def test_happy_path(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    d = files["dir"]
    assert (
        main(
            [
                "encode",
                "--secret-file",
                str(files["key"]),
                str(files["a"]),
                "-o",
                str(d / "a.jsonl"),
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "encode",
                "--secret-file",
                str(files["key"]),
                str(files["b"]),
                "-o",
                str(d / "b.jsonl"),
            ]
        )
        == 0
    )
    assert main(["match", str(d / "a.jsonl"), str(d / "b.jsonl"), "-o", str(d / "p.csv")]) == 0
    rows = list(csv.DictReader((d / "p.csv").open()))
    assert rows and set(rows[0]) == {"a_id", "b_id", "similarity"}
    assert sum(r["a_id"][1:] == r["b_id"][1:] for r in rows) / len(rows) > 0.9
    assert (
        main(
            [
                "match",
                str(d / "a.jsonl"),
                str(d / "b.jsonl"),
                "--threshold",
                "0.9",
                "-o",
                str(d / "q.csv"),
            ]
        )
        == 0
    )
    assert main(["dedupe", str(files["a"]), "-o", str(d / "c.csv")]) == 0
    clusters = list(csv.DictReader((d / "c.csv").open()))
    assert len(clusters) == 120 and set(clusters[0]) == {"id", "cluster"}


def _err(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


def test_missing_column(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    d = files["dir"]
    bad = _csv(d / "bad.csv", [{"id": "1", "family_name": "X"}], ["id", "family_name"])
    assert (
        main(["encode", "--secret-file", str(files["key"]), str(bad), "-o", str(d / "x.jsonl")])
        == 2
    )
    assert "missing column" in _err(capsys)
    assert main(["dedupe", str(bad), "-o", str(d / "x.csv")]) == 2
    assert "missing column" in _err(capsys)


def test_wrong_schema_version(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    d = files["dir"]
    schema = d / "schema.json"
    schema.write_text(json.dumps({"haven_link_schema": 7, "fields": []}))
    args = ["encode", "--schema", str(schema), "--secret-file", str(files["key"]), str(files["a"])]
    assert main([*args, "-o", str(d / "x.jsonl")]) == 2
    assert "version" in _err(capsys)


def test_keys_do_not_match(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    d = files["dir"]
    assert (
        main(
            [
                "encode",
                "--secret-file",
                str(files["key"]),
                str(files["a"]),
                "-o",
                str(d / "a.jsonl"),
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "encode",
                "--secret-file",
                str(files["other"]),
                str(files["b"]),
                "-o",
                str(d / "b.jsonl"),
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["match", str(d / "a.jsonl"), str(d / "b.jsonl"), "-o", str(d / "p.csv")]) == 2
    assert "different secrets" in _err(capsys)
    assert not (d / "p.csv").exists()


def test_other_bad_input(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    d = files["dir"]
    assert (
        main(["encode", "--secret-file", str(d / "nope"), str(files["a"]), "-o", str(d / "x")]) == 2
    )
    assert "secret" in _err(capsys)
    (d / "junk.jsonl").write_text("not json\n")
    assert (
        main(["match", str(d / "junk.jsonl"), str(d / "junk.jsonl"), "-o", str(d / "p.csv")]) == 2
    )
    assert "encodings file" in _err(capsys)
    assert main(["match", "a", "b", "--threshold", "7", "-o", "x"]) == 2
    capsys.readouterr()
    assert main(["frobnicate"]) == 2
