from __future__ import annotations

import io
import json
from itertools import product

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
from haven_link._encodings import write_encodings

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
    assert header["haven_link_encodings"] == 2
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


def _reference_encode(records, schema, secret) -> tuple[list[bytes], list[list[int]]]:
    """The encoding written out plainly, one record at a time, with no cache at all: what
    the cached, batched encoder must reproduce bit for bit."""
    import hashlib

    from haven_link._features import bigrams, field_tokens, name_tokens
    from haven_link._names import text_words

    from .test_names import reference_normalise_name

    def bits(field: str, part: str, k: int, token: str) -> int:
        key = secret.derive(f"bloom/{schema.name}/{field}/{part}")
        digest = hashlib.blake2b(token.encode(), key=key, digest_size=2 * k).digest()
        return sum(
            {1 << ((digest[2 * i] << 8 | digest[2 * i + 1]) % schema.bits) for i in range(k)}
        )

    block_key = secret.derive(f"block/{schema.name}")
    clks, keys = [], []
    for record in records:
        mask, tokens = 0, {}
        for spec in schema.fields:
            values = [record.get(c) or "" for c in spec.columns]
            if spec.kind == "person_name":
                name = reference_normalise_name(*[*values, "", ""][:3])
                found = name_tokens(name, with_bigrams=False)
                for unit, sound in zip(name.units, name.sounds, strict=True):
                    grams = [("unit", unit), ("sound", sound)]
                    grams += [("bigram", g) for g in bigrams(unit)]
                    for part, token in grams:
                        if k := spec.hashes.get(part, 0):
                            mask |= bits(spec.name, part, k, token)
                for spelling in name.spellings:
                    if k := spec.hashes.get("spelling", 0):
                        mask |= bits(spec.name, "spelling", k, spelling)
            elif spec.kind == "text":
                words = [w for v in values for w in text_words(v)]
                for word in words:
                    grams = [("token", word)] + [("bigram", g) for g in bigrams(word)]
                    for part, token in grams:
                        if k := spec.hashes.get(part, 0):
                            mask |= bits(spec.name, part, k, token)
                found = {"token": words, "prefix": [w[:3] for w in words]}
            else:
                found = field_tokens(spec, dict(zip(spec.columns, values, strict=True)))
                for part, k in spec.hashes.items():
                    for token in found.get(part, ()) if k else ():
                        mask |= bits(spec.name, part, k, token)
            tokens[spec.name] = found
        record_keys = []
        for index, rule in enumerate(schema.blocking):
            for combo in product(*[tokens[f].get(part, ()) for f, part in rule]):
                clear = f"{index}\x1f" + "\x1e".join(combo)
                digest = hashlib.blake2b(clear.encode(), key=block_key, digest_size=8).digest()
                # The low four bits carry the rule, for its own block cap.
                record_keys.append((int.from_bytes(digest, "little", signed=True) & ~15) | index)
        clks.append(mask.to_bytes(schema.bits // 8, "little"))
        keys.append(record_keys)
    return clks, keys


def _mixed_records() -> list[dict[str, str]]:
    from .synth import generate

    a, b, _ = generate(150, seed=9)
    odd = [
        {"id": "x1", "family_name": "García López", "given_name": "María de la Cruz",
         "date_of_birth": "~1980", "sex": "f", "citizenship": "ESP"},
        {"id": "x2", "family_name": "de", "given_name": "la", "date_of_birth": "nonsense"},
        {"id": "x3", "family_name": "CHAN", "given_name": "Tai Man", "name_original": "陳大文",
         "date_of_birth": "12/03/1990"},
        {"id": "x4", "name_original": "歐陽娜娜 Nana", "date_of_birth": "1990-03"},
        {"id": "x5", "family_name": "张", "given_name": "Xiaoli", "date_of_birth": "19900312"},
        {"id": "x6", "date_of_birth": "", "sex": "", "citizenship": ""},
    ]  # fmt: skip
    return [*a, *b, *odd, *a[:20]]  # repeats exercise the caches


@pytest.mark.parametrize("batch", [7, 10_000])
def test_batched_encoder_equals_plain_reference(schema, secret, monkeypatch, batch) -> None:
    """Caches (per field value, name column, date piece, token, blocking combination) and
    batching change nothing: same filters and keys as the plain per-record encoding."""
    from haven_link import _encode

    records = _mixed_records()
    monkeypatch.setattr(_encode, "_BATCH", batch)
    enc = encode_records(records, schema, secret)
    clks, keys = _reference_encode(records, schema, secret)
    assert enc.clks.astype("<u8").tobytes() == b"".join(clks)
    assert enc.block_keys.tolist() == [k for ks in keys for k in ks]
    assert np.diff(enc.block_offsets).tolist() == [len(ks) for ks in keys]


def test_encode_one_equals_batch_and_survives_cache_trimming(schema, secret, monkeypatch) -> None:
    from haven_link import Encoder, _encode

    records = _mixed_records()
    batch = encode_records(records, schema, secret)
    monkeypatch.setattr(_encode, "_CACHE_LIMIT", 5)  # caches emptied again and again
    encoder = Encoder(schema, secret)
    for i, record in enumerate(records):
        clk, keys = encoder.encode_one(record)
        assert clk == batch.clks[i].astype("<u8").tobytes()
        assert (
            keys == batch.block_keys[batch.block_offsets[i] : batch.block_offsets[i + 1]].tolist()
        )
    again = encoder.encode(records)
    assert np.array_equal(again.clks, batch.clks)
    assert np.array_equal(again.block_keys, batch.block_keys)


def test_other_schema_text_fields_equal_reference(secret) -> None:
    doc = {
        "haven_link_schema": 1, "name": "t", "bits": 512, "id_column": "id",
        "fields": [
            {"name": "name", "kind": "person_name", "columns": ["surname", "given"],
             "hashes": {"unit": 4, "bigram": 2, "sound": 1}},
            {"name": "address", "kind": "text", "columns": ["street", "town"],
             "hashes": {"token": 3, "bigram": 1}},
            {"name": "dob", "kind": "date", "columns": ["dob"], "hashes": {"year": 4, "day": 2}},
        ],
        "blocking": [["address.token", "dob.year"], ["address.prefix", "name.sound", "dob.day"],
                     ["name.unit"]],
    }  # fmt: skip
    schema = parse_schema(doc)
    records = [
        {"id": "1", "surname": "Smith", "given": "Mary-Anne", "street": "12 High St",
         "town": "Bath", "dob": "1970-01-02"},
        {"id": "2", "surname": "Müller", "given": "Jürgen", "street": "Hauptstraße 5",
         "town": "Köln", "dob": "1970"},
        {"id": "3", "surname": "Smith", "given": "Mary Anne", "street": "", "town": "Bath"},
    ]  # fmt: skip
    enc = encode_records(records * 2, schema, secret)
    clks, keys = _reference_encode(records * 2, schema, secret)
    assert enc.clks.astype("<u8").tobytes() == b"".join(clks)
    assert enc.block_keys.tolist() == [k for ks in keys for k in ks]


def test_per_rule_block_caps(schema, secret, tmp_path) -> None:
    """Each rule's blocks are capped by its own max_block_sizes entry: three records
    sharing a year make a 3 x 3 block, kept under a cap of 3 and dropped under 2, while
    the other rule's 1 x 1 blocks stay."""
    from haven_link._blocking import block_ranges

    doc = json.loads(json.dumps(schema.document))
    doc["blocking"] = [["name.sound_pair"], ["dob.year"]]
    del doc["block_size_reference"]
    records = [
        {"id": str(i), "family_name": "Smith", "given_name": g, "date_of_birth": "1970"}
        for i, g in enumerate(["Anna", "Bert", "Carl"])
    ]
    for year_cap in (2, 3):
        other = parse_schema(doc | {"max_block_sizes": [9, year_cap]})
        enc = encode_records(records, other, secret)
        assert set((enc.block_keys & 15).tolist()) == {0, 1}  # the rule, in the low bits
        blocks, _, _ = block_ranges(enc, enc)
        sizes = sorted((blocks[:, 1] - blocks[:, 0]).tolist())
        assert sizes == ([1, 1, 1, 3] if year_cap == 3 else [1, 1, 1])
        path = tmp_path / "e.jsonl"
        save_encodings(enc, path)
        assert load_encodings(path).block_sizes == (9, year_cap)
    with pytest.raises(SchemaError, match="max_block_sizes"):
        parse_schema(doc | {"max_block_sizes": [5]})
    with pytest.raises(SchemaError, match="blocking rules"):
        parse_schema(doc | {"blocking": [["dob.year"]] * 17})


def test_block_caps_scale_with_file_size(schema, secret) -> None:
    """With block_size_reference, a cap holds for files of that size and grows or shrinks
    with them, between MIN_BLOCK_SCALE and MAX_BLOCK_SCALE: a 3 x 3 block passes a cap of 2 meant for files
    of 5 records in files of 10 (limit 2**2 * 4 pairs), not a cap of 20 meant for a
    million (20**2 * 0.01 pairs)."""
    from haven_link._blocking import block_ranges, oversized_keys

    doc = json.loads(json.dumps(schema.document))
    doc["blocking"] = [["dob.year"]]
    records = [{"id": str(i), "family_name": "X", "date_of_birth": "1970"} for i in range(3)]
    records += [
        {"id": f"o{i}", "family_name": "X", "date_of_birth": str(1900 + i)} for i in range(7)
    ]
    for reference, kept in ((0, False), (5, True), (1000, False)):
        other = parse_schema(doc | {"max_block_sizes": [2], "block_size_reference": reference})
        enc = encode_records(records, other, secret)
        blocks, _, _ = block_ranges(enc, enc)
        assert (3 in (blocks[:, 1] - blocks[:, 0]).tolist()) == kept, reference
        assert len(oversized_keys(enc, enc)) == (not kept)
        # Without those keys, the records keep all their others.
        trimmed = enc.without_keys(oversized_keys(enc, enc))
        assert len(trimmed.block_keys) == 10 - 3 * (not kept)
        assert trimmed.block_offsets[-1] == len(trimmed.block_keys)
    small = parse_schema(doc | {"max_block_sizes": [20], "block_size_reference": 10**6})
    enc = encode_records(records, small, secret)
    assert len(oversized_keys(enc, enc)) == 1
    # Nor beyond MAX_BLOCK_SCALE: a cap of 1 meant for files of 1 record allows 4 pairs.
    large = parse_schema(doc | {"max_block_sizes": [1], "block_size_reference": 1})
    enc = encode_records(records, large, secret)
    assert len(oversized_keys(enc, enc)) == 1


def test_caps_from_either_side(schema, secret) -> None:
    """Encodings rebuilt without their caps (as an application may store them) still
    block with the schema's caps, taken from the other side."""
    from dataclasses import replace

    from haven_link._blocking import block_ranges

    records = generate_records(300)
    a = encode_records(records, schema, secret)
    bare = replace(a, block_sizes=(), block_reference=0, max_block_size=1)
    expected = block_ranges(a, a)[0]
    assert np.array_equal(block_ranges(bare, a)[0], expected)
    assert np.array_equal(block_ranges(a, bare)[0], expected)
    assert len(block_ranges(bare, bare)[0]) < len(expected)  # only the bare cap of 1


def generate_records(n: int) -> list[dict[str, str]]:
    from .synth import generate

    return generate(n, seed=4)[0]


_NAME_TEXT = st.text(
    alphabet="abcxyzAZ éüñçđ-' ΑαβγδΣωάϊ张晓丽歐陽单曾重庆·0",
    max_size=14,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(st.tuples(_NAME_TEXT, _NAME_TEXT, _NAME_TEXT), min_size=1, max_size=8))
def test_random_names_encode_as_the_reference_does(names, schema, secret) -> None:
    # Any script, spacing and punctuation: the batched paths (compiled words and syllables,
    # combined tokens) give the plain per-record encoding.
    records = [
        {"id": str(i), "family_name": f, "given_name": g, "name_original": o}
        for i, (f, g, o) in enumerate(names)
    ]
    enc = encode_records(records, schema, secret)
    clks, keys = _reference_encode(records, schema, secret)
    assert enc.clks.astype("<u8").tobytes() == b"".join(clks)
    assert enc.block_keys.tolist() == [k for ks in keys for k in ks]


def test_no_records(schema, secret) -> None:
    empty = encode_records([], schema, secret)
    assert len(empty) == 0 and empty.clks.shape == (0, schema.bits // 64)
    assert empty.block_offsets.tolist() == [0] and len(empty.block_keys) == 0


def test_names_taken_apart_by_column_encode_as_the_reference_does(
    schema, secret, monkeypatch
) -> None:
    # Plain names (words in column order) against the others: repeated words within and
    # across columns, particles, many words with repeated sounds, empty and digit columns.
    from haven_link import _encode

    names = [
        ("anna", "anna", ""), ("Lee", "Lee Ann", ""), ("O'Brien", "Mary-Kate", ""), ("", "", ""),
        ("de la Cruz", "Maria", ""), ("Zhang", "Xiaoli", ""), ("Ζαχαρίου", "Anna", ""),
        ("张", "Xiaoli", ""), ("smith", "john", "John Smith"), ("123", "", "x"),
        ("Nguyen Van", "An", ""), ("a b a", "c", ""), ("smith", "smyth", ""),
        ("Ann Anne Anna", "Annie Ana", "Anya"), ("schmidt", "phil", ""),
    ]  # fmt: skip
    records = [
        {"id": str(i), "family_name": f, "given_name": g, "name_original": o}
        for i, (f, g, o) in enumerate(names * 2)
    ]
    for batch in (4, 100):
        monkeypatch.setattr(_encode, "_BATCH", batch)
        enc = encode_records(records, schema, secret)
        clks, keys = _reference_encode(records, schema, secret)
        assert enc.clks.astype("<u8").tobytes() == b"".join(clks)
        assert enc.block_keys.tolist() == [k for ks in keys for k in ks]


def test_missing_and_none_values_read_as_empty(schema, secret) -> None:
    """Rows with every column (read in one pass), with None values, and with missing
    columns encode alike where their texts are alike."""
    full = [{**PERSON, "id": str(i), "sex": ""} for i in range(3)]
    with_none = [{**row, "sex": None} for row in full]
    missing = [{k: v for k, v in row.items() if k != "sex"} for row in full]
    expected = encode_records(full, schema, secret)
    for rows in (with_none, missing):
        got = encode_records(rows, schema, secret)  # type: ignore[arg-type]
        assert got.ids == ["0", "1", "2"]
        assert np.array_equal(got.clks, expected.clks)
        assert np.array_equal(got.block_keys, expected.block_keys)
