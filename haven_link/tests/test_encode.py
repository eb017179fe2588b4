from __future__ import annotations

import io
import json

import numpy as np
import pytest

from haven_link import (
    InputError,
    KeyMismatchError,
    LinkageSecret,
    SchemaError,
    encode_records,
    load_encodings,
    load_schema,
    match,
    parse_schema,
    save_encodings,
)
from haven_link._encode import write_encodings

PERSON = {"id": "1", "family_name": "张", "given_name": "晓丽", "name_original": "",
          "date_of_birth": "1990-03-12", "sex": "F", "citizenship": "CHN"}  # fmt: skip


def test_same_input_same_encoding(schema, secret) -> None:
    a = encode_records([PERSON], schema, secret)
    b = encode_records([dict(PERSON)], schema, secret)
    assert np.array_equal(a.clks, b.clks)
    assert np.array_equal(a.block_keys, b.block_keys)
    assert a.clks.shape == (1, 16)
    assert 40 < int(np.bitwise_count(a.clks).sum()) < 400


def test_different_secret_different_encoding(schema, secret, other_secret) -> None:
    a = encode_records([PERSON], schema, secret)
    b = encode_records([PERSON], schema, other_secret)
    assert a.key_fingerprint != b.key_fingerprint
    common = int(np.bitwise_count(a.clks & b.clks).sum())
    total = int(np.bitwise_count(a.clks).sum() + np.bitwise_count(b.clks).sum())
    assert 2 * common / total < 0.5
    assert not set(a.block_keys.tolist()) & set(b.block_keys.tolist())


def test_key_mismatch_refused(schema, secret, other_secret) -> None:
    a = encode_records([PERSON], schema, secret)
    b = encode_records([PERSON], schema, other_secret)
    with pytest.raises(KeyMismatchError):
        match(a, b)


def test_secret_never_in_repr_and_not_too_short() -> None:
    assert "agencies" not in repr(LinkageSecret(b"shared-between-two-agencies-only"))
    with pytest.raises(InputError):
        LinkageSecret(b"short")


def test_file_round_trip(schema, secret, tmp_path) -> None:
    enc = encode_records([PERSON, {**PERSON, "id": "2", "family_name": "王"}], schema, secret)
    path = tmp_path / "a.jsonl"
    save_encodings(enc, path)
    header = json.loads(path.read_text().splitlines()[0])
    assert header["haven_link_encodings"] == 1
    assert "张" not in path.read_text()
    back = load_encodings(path)
    assert back.ids == ["1", "2"]
    assert np.array_equal(back.clks, enc.clks)
    assert np.array_equal(back.block_offsets, enc.block_offsets)
    assert back.key_fingerprint == enc.key_fingerprint


def test_wrong_encodings_version(schema, secret, tmp_path) -> None:
    out = io.StringIO()
    write_encodings(encode_records([PERSON], schema, secret), out)
    lines = out.getvalue().splitlines()
    header = json.loads(lines[0]) | {"haven_link_encodings": 99}
    path = tmp_path / "v99.jsonl"
    path.write_text("\n".join([json.dumps(header), *lines[1:]]))
    with pytest.raises(SchemaError, match="version"):
        load_encodings(path)


def test_schema_validation(schema, tmp_path) -> None:
    doc = dict(schema.document)
    with pytest.raises(SchemaError, match="version"):
        parse_schema(doc | {"haven_link_schema": 2})
    with pytest.raises(SchemaError, match="unknown field kind"):
        parse_schema(doc | {"fields": [{"name": "x", "kind": "nope", "columns": ["x"]}]})
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    assert load_schema(path).fingerprint == schema.fingerprint
    path.write_text("{")
    with pytest.raises(SchemaError):
        load_schema(path)


def test_different_schema_refused(schema, secret) -> None:
    doc = json.loads(json.dumps(schema.document))
    doc["fields"][0]["hashes"]["unit"] = 7
    other = parse_schema(doc)
    a = encode_records([PERSON], schema, secret)
    b = encode_records([PERSON], other, secret)
    with pytest.raises(SchemaError):
        match(a, b)


def test_parallel_encoding_equals_serial(schema, secret, monkeypatch) -> None:
    from haven_link import _encode

    from .synth import generate

    records, _, _ = generate(60, seed=4)
    serial = encode_records(records, schema, secret)
    monkeypatch.setattr(_encode, "_PARALLEL_MIN_RECORDS", 10)
    monkeypatch.setattr(_encode, "_MIN_CHUNK", 16)
    parallel = encode_records(records, schema, secret, workers=2)
    assert parallel.ids == serial.ids
    assert np.array_equal(parallel.clks, serial.clks)
    assert np.array_equal(parallel.block_offsets, serial.block_offsets)
    assert np.array_equal(parallel.block_keys, serial.block_keys)
