"""Encrypted, verifiable backups of the whole database, and restore into an empty one.

The content is Django's serialisation of every model (natural keys for content types and
permissions), except that encrypted fields carry their sealed value as stored: the backup never
holds personal data in clear, even inside its own encryption, and restoring it needs the same
key ring. The whole is then sealed with AES-256-GCM under a key derived from a passphrase with
scrypt; the header (format, KDF parameters, salt, nonce) is authenticated with it, so any
change to the file makes it fail to open.

File: b"HAVENBK1\\n" + header JSON + b"\\n" + nonce-less ciphertext (the nonce is in the header).
"""

from __future__ import annotations

import base64
import datetime
import gzip
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from haven.audit.chain import find_break
from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.security.rotation import sealed_models

MAGIC = b"HAVENBK1\n"
FORMAT = 1
# Not restored: rebuilt by `migrate` (content types, permissions) or not worth keeping
# (sessions: everyone signs in again after a restore).
SKIPPED = (ContentType, Permission, Session)


class _Encoder(DjangoJSONEncoder):
    """Full precision: Django's encoder cuts microseconds, which the audit chain hashed."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """The file is not a Haven backup, was changed, or the passphrase is wrong."""


@dataclass(frozen=True)
class BackupSummary:
    created_at: str
    objects: int
    models: dict[str, int]
    audit_rows: int


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    if not passphrase:
        raise BackupError("the passphrase is empty")
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode())


def _models() -> list[type[models.Model]]:
    chosen = [
        m
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy and not issubclass(m, SKIPPED)
    ]
    app_list: dict[Any, list[type[models.Model]] | None] = {}
    for model in chosen:
        app_list.setdefault(apps.get_app_config(model._meta.app_label), []).append(model)  # type: ignore[union-attr]
    return serializers.sort_dependencies(app_list.items(), allow_cycles=True)


def _sealed_fields() -> dict[str, list[str]]:
    return {sm.label: [f.attname for f in sm.fields] for sm in sealed_models()}


def _raw_sealed(model: type[models.Model], attnames: list[str]) -> dict[str, dict[str, str]]:
    """{pk as text: {attname: raw sealed value}} read straight from the table."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(model, name)) for name in attnames)
    pk = quote(model._meta.pk.column)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {columns} FROM {table}")  # noqa: S608
        # Keys as the serialiser writes primary keys (a UUID is 32 hex digits in SQLite).
        to_python = model._meta.pk.to_python
        return {
            str(to_python(row[0])): dict(zip(attnames, row[1:], strict=True))
            for row in cursor.fetchall()
        }


def dump() -> dict[str, Any]:
    """Everything, in dependency order, inside one read transaction (a consistent snapshot)."""
    sealed = _sealed_fields()
    records: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    with transaction.atomic():
        for model in _models():
            label = model._meta.label
            secret = sealed.get(label, [])
            plain = [
                f.name
                for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
                if f.attname not in secret and not f.primary_key
            ]
            queryset = model._default_manager.order_by("pk")
            if secret:
                queryset = queryset.defer(*secret)
            rows = serializers.serialize(
                "python",
                queryset.iterator(chunk_size=2000),
                fields=plain,
                use_natural_foreign_keys=True,
            )
            raw = _raw_sealed(model, secret) if secret else {}
            for row in rows:
                if secret:
                    row["sealed"] = raw.get(str(row["pk"]), {})
                records.append(row)
            counts[label] = len(rows)
    return {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "counts": counts,
        "records": records,
    }


def seal(payload: dict[str, Any], passphrase: str) -> bytes:
    salt = os.urandom(16)
    nonce = os.urandom(12)
    n, r, p = 2**15, 8, 1
    header = {
        "format": FORMAT,
        "kdf": "scrypt",
        "n": n,
        "r": r,
        "p": p,
        "salt": base64.b64encode(salt).decode(),
        "nonce": base64.b64encode(nonce).decode(),
        "cipher": "AES-256-GCM",
    }
    header_bytes = json.dumps(header, sort_keys=True).encode()
    body = gzip.compress(json.dumps(payload, cls=_Encoder).encode())
    key = _derive(passphrase, salt, n, r, p)
    return MAGIC + header_bytes + b"\n" + AESGCM(key).encrypt(nonce, body, MAGIC + header_bytes)


def open_backup(data: bytes, passphrase: str) -> dict[str, Any]:
    if not data.startswith(MAGIC):
        raise BackupError("not a Haven backup file")
    header_bytes, sep, ciphertext = data[len(MAGIC) :].partition(b"\n")
    try:
        header = json.loads(header_bytes)
        salt = base64.b64decode(header["salt"])
        nonce = base64.b64decode(header["nonce"])
        n, r, p = int(header["n"]), int(header["r"]), int(header["p"])
    except (ValueError, KeyError, TypeError):
        raise BackupError("the backup header is damaged") from None
    if not sep or header.get("format") != FORMAT or not (2**14 <= n <= 2**20):
        raise BackupError("the backup header is damaged or of an unknown format")
    try:
        body = AESGCM(_derive(passphrase, salt, n, r, p)).decrypt(
            nonce, ciphertext, MAGIC + header_bytes
        )
    except InvalidTag:
        raise BackupError("the backup was changed, or the passphrase is wrong") from None
    payload: dict[str, Any] = json.loads(gzip.decompress(body))
    return payload


def _audit_rows(
    records: Iterable[dict[str, Any]],
) -> Iterator[tuple[int, str, str, dict[str, Any]]]:
    label = AuditEvent._meta.label_lower
    for record in records:
        if record["model"] != label:
            continue
        f = record["fields"]
        content = {
            "at": _iso(f["at"]),
            "actor": f["actor_username"],
            "organisation": f["organisation_id_at_time"],
            "action": f["action"],
            "object": f["object_ref"],
            "request": f["request_id"],
            "detail": f["detail"],
        }
        yield int(record["pk"]), f["prev_hash"], f["hash"], content


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime.datetime) else str(value)


def verify_payload(payload: dict[str, Any]) -> BackupSummary:
    records = payload.get("records", [])
    counts = payload.get("counts", {})
    if sum(counts.values()) != len(records):
        raise BackupError("the backup's record count does not match its contents")
    audit = sorted(_audit_rows(records))
    broken = find_break(audit)
    if broken is not None:
        raise BackupError(f"the audit chain in the backup is broken at row {broken.row_id}")
    return BackupSummary(payload["created_at"], len(records), counts, len(audit))


def write_backup(path: Path, passphrase: str) -> BackupSummary:
    payload = dump()
    summary = verify_payload(payload)
    data = seal(payload, passphrase)
    temporary = path.with_name(path.name + ".partial")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)
    return summary


def verify_backup(path: Path, passphrase: str) -> BackupSummary:
    return verify_payload(open_backup(path.read_bytes(), passphrase))


def database_is_empty() -> bool:
    """Freshly migrated: no organisation, no user, no audit row. Reference data written by
    migrations (country settings and the like) may be there; the backup's rows replace it."""
    from haven.accounts.models import Organisation, User

    return not any(m._default_manager.exists() for m in (Organisation, User, AuditEvent))


def restore(path: Path, passphrase: str) -> BackupSummary:
    payload = open_backup(path.read_bytes(), passphrase)
    summary = verify_payload(payload)
    if not database_is_empty():
        raise BackupError("the database is not empty: restore only into a freshly migrated one")
    sealed = _sealed_fields()
    with transaction.atomic():
        later: list[tuple[type[models.Model], Any, dict[str, str]]] = []
        records = []
        for record in payload["records"]:
            secret = record.pop("sealed", None)
            records.append(record)
            if secret:
                later.append((apps.get_model(record["model"]), record["pk"], secret))
        for obj in serializers.deserialize("python", records, handle_forward_references=True):
            obj.save()
        # The sealed values go back exactly as they were, past the fields' own sealing.
        for model, pk, secret in later:
            _write_raw(
                model, pk, {k: v for k, v in secret.items() if k in sealed[model._meta.label]}
            )
        _reset_sequences()
        record_event(
            AuditEvent.Action.RESTORE, actor=None, detail={"backup_created_at": summary.created_at}
        )
    return summary


def _column(model: type[models.Model], attname: str) -> str:
    field = model._meta.get_field(attname)
    assert isinstance(field, models.Field) and field.column
    return field.column


def _write_raw(model: type[models.Model], pk: Any, values: dict[str, str]) -> None:
    if not values:
        return
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(_column(model, name))} = %s" for name in values)
    table = quote(model._meta.db_table)
    pk_field = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s",  # noqa: S608
            [*values.values(), pk_field.get_db_prep_value(pk_field.to_python(pk), connection)],
        )


def _reset_sequences() -> None:
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), _models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
