import pytest

from haven.lib.crypto import CryptoKeyError, KeyRing, new_key


def _ring(*ids):
    return KeyRing.parse(",".join(f"{i}:{new_key()}" for i in ids), new_key())


def test_seal_and_open_round_trip():
    ring = _ring("k1")
    sealed = ring.seal("张小丽", "cases.person.family_name")
    assert "张" not in sealed and sealed.startswith("hv1:k1:")
    assert ring.open(sealed, "cases.person.family_name") == "张小丽"
    assert ring.seal("张小丽", "x") != ring.seal("张小丽", "x")  # random nonces


def test_a_value_moved_to_another_field_does_not_open():
    ring = _ring("k1")
    sealed = ring.seal("Zhang", "cases.person.family_name")
    with pytest.raises(CryptoKeyError, match="authentication"):
        ring.open(sealed, "cases.note.text")


def test_tampering_is_detected():
    ring = _ring("k1")
    sealed = ring.seal("Zhang", "f")
    body = sealed.split(":")[2]
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(CryptoKeyError):
        ring.open(f"hv1:k1:{flipped}", "f")


def test_old_keys_still_open_after_rotation():
    old = _ring("k1")
    sealed = old.seal("Zhang", "f")
    stranger = _ring("k1")
    with pytest.raises(CryptoKeyError):
        stranger.open(sealed, "f")
    import base64

    k1 = base64.urlsafe_b64encode(old.keys[0][1]).decode()
    rotated = KeyRing.parse(f"k2:{new_key()},k1:{k1}", new_key())
    assert rotated.open(sealed, "f") == "Zhang"
    assert rotated.key_id_of(rotated.seal("x", "f")) == "k2"


def test_blind_index_ignores_case_accents_and_spacing():
    ring = _ring("k1")
    assert ring.blind_index("María José", "name") == ring.blind_index("MARIA-JOSE", "name")
    assert ring.blind_index("María", "name") != ring.blind_index("María", "document")
    assert ring.blind_index("María", "name") != ring.blind_index("Mario", "name")


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("", "no encryption key"),
        ("k1", "id:base64key"),
        ("k1:c2hvcnQ", "32 bytes"),
        (f"k1:{new_key()},k1:{new_key()}", "share an id"),
    ],
    ids=["empty", "no-key", "short-key", "duplicate-id"],
)
def test_bad_key_rings_are_refused(keys, message):
    with pytest.raises(CryptoKeyError, match=message):
        KeyRing.parse(keys, new_key())
