"""Rows for any model, built from its fields: the at-rest tests cover every model with sealed
fields, including ones added after these tests were written."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.db import models
from django.utils import timezone
from django_countries.fields import CountryField

from haven.lib.encrypted_fields import EncryptedDateField, EncryptedJSONField
from haven.security.rotation import sealed_models

_counter = itertools.count(1)


def marker(n: int) -> str:
    """A made-up name nobody would write by accident: found in a dump means a leak."""
    return f"Zyxtraven{n:04d}Qorbelle"


def _plain_value(field: models.Field, model: type[models.Model]) -> Any:
    n = next(_counter)
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, CountryField):
        return "ES"
    if isinstance(field, models.ForeignKey):
        related = field.related_model
        assert not isinstance(related, str)
        if field.unique:
            return build(related)
        existing = related._default_manager.order_by("pk").first()
        return existing if existing is not None else build(related)
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return datetime.date(2026, 1, 1)
    if isinstance(field, models.IntegerField | models.FloatField | models.DecimalField):
        return 1
    if isinstance(field, models.JSONField):
        return []
    if isinstance(field, models.CharField | models.TextField):
        return f"v{n}"[: field.max_length or 20]
    # A field type the builder cannot fill yet must stop the matrix, not be skipped silently.
    raise TypeError(f"{model._meta.label}.{field.name}: builders.py cannot fill this field type")


def build(model: type[models.Model], sealed_values: dict[str, Any] | None = None) -> Any:
    sealed_values = sealed_values or {}
    kwargs: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or getattr(field, "auto_now", False):
            continue
        if getattr(field, "auto_now_add", False):
            continue
        if field.name in sealed_values:
            kwargs[field.name] = sealed_values[field.name]
            continue
        if field.has_default() or field.null or (field.blank and not field.is_relation):
            continue
        kwargs[field.name] = _plain_value(field, model)
    return model._default_manager.create(**kwargs)


def build_every_sealed_model() -> list[str]:
    """One row per model with sealed fields, each sealed field holding a fresh marker.
    Returns the markers written (dates are not markers: a date alone names nobody)."""
    written: list[str] = []
    for sm in sealed_models():
        values: dict[str, Any] = {}
        for field in sm.fields:
            if isinstance(field, EncryptedDateField):
                values[field.name] = datetime.date(1999, 12, 31)
                continue
            text = marker(next(_counter))
            written.append(text)
            values[field.name] = [text] if isinstance(field, EncryptedJSONField) else text
        build(sm.model, values)
    return written
