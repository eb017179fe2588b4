"""Re-sealing every encrypted field of every model under the active key.

Fields are found by class (anything built on the sealed-field mixin), across all installed
models, so a new app's encrypted fields are covered without registering them. Only rows with a
value sealed under another key are touched, in batches, each batch in its own transaction: an
interrupted rotation resumes where it stopped when run again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction

from haven.lib.crypto import PREFIX, key_ring
from haven.lib.encrypted_fields import _SealedMixin


@dataclass(frozen=True)
class SealedModel:
    model: type[models.Model]
    fields: tuple[models.Field[object, object], ...]

    @property
    def label(self) -> str:
        return self.model._meta.label


def sealed_models() -> list[SealedModel]:
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = tuple(f for f in model._meta.concrete_fields if isinstance(f, _SealedMixin))
        if fields:
            found.append(SealedModel(model, fields))
    return sorted(found, key=lambda item: item.label)


def _stale_filter(sm: SealedModel, active_prefix: str) -> tuple[str, list[str]]:
    """SQL: some value of the row is sealed, and not under the active key."""
    quote = connection.ops.quote_name
    parts = []
    params: list[str] = []
    for field in sm.fields:
        column = quote(field.column)
        parts.append(f"({column} <> '' AND {column} NOT LIKE %s)")
        params.append(active_prefix + "%")
    return " OR ".join(parts), params


def stale_rows(sm: SealedModel) -> int:
    active_prefix = f"{PREFIX}:{key_ring().active_id}:"
    where, params = _stale_filter(sm, active_prefix)
    table = connection.ops.quote_name(sm.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params)  # noqa: S608
        return int(cursor.fetchone()[0])


def _stale_batch(sm: SealedModel, after: object, size: int) -> list[tuple[object, ...]]:
    active_prefix = f"{PREFIX}:{key_ring().active_id}:"
    where, params = _stale_filter(sm, active_prefix)
    quote = connection.ops.quote_name
    pk = quote(sm.model._meta.pk.column)
    columns = ", ".join(quote(f.column) for f in sm.fields)
    table = quote(sm.model._meta.db_table)
    sql = (
        f"SELECT {pk}, {columns} FROM {table} WHERE ({where})"  # noqa: S608
        + (f" AND {pk} > %s" if after is not None else "")
        + f" ORDER BY {pk} LIMIT {int(size)}"
    )
    with connection.cursor() as cursor:
        arguments: list[Any] = [*params]
        if after is not None:
            arguments.append(after)
        cursor.execute(sql, arguments)
        return [tuple(row) for row in cursor.fetchall()]


def rotate(
    *, batch_size: int = 500, report: Callable[[str], None] = lambda line: None
) -> dict[str, int]:
    """Returns the number of rows re-sealed per model."""
    done: dict[str, int] = {}
    for sm in sealed_models():
        count = 0
        after: object = None
        total = stale_rows(sm)
        if total:
            report(f"{sm.label}: {total} row(s) to re-seal")
        while True:
            batch = _stale_batch(sm, after, batch_size)
            if not batch:
                break
            with transaction.atomic():
                for row in batch:
                    pk, raw_values = row[0], row[1:]
                    values = {
                        field.attname: field.from_db_value(raw, None, connection)  # type: ignore[attr-defined]
                        for field, raw in zip(sm.fields, raw_values, strict=True)
                    }
                    # update() seals each value again, under the active key.
                    sm.model._default_manager.filter(pk=pk).update(**values)
            count += len(batch)
            after = batch[-1][0]
            report(f"{sm.label}: {count}/{total}")
        done[sm.label] = count
    return done


def sealed_values() -> Iterator[tuple[str, str]]:
    """(model label, raw sealed value) for every non-empty sealed value: for checks."""
    quote = connection.ops.quote_name
    for sm in sealed_models():
        columns = ", ".join(quote(f.column) for f in sm.fields)
        table = quote(sm.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if value:
                        yield sm.label, str(value)
