"""Model fields whose values are stored sealed (see haven.lib.crypto).

The database holds only ciphertext; Python code sees plain values. Sealed columns cannot be
filtered or sorted on: search goes through a blind index column kept beside them.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.db import models

from haven.lib.crypto import key_ring


class _SealedMixin:
    """Seals on the way into the database and opens on the way out."""

    model: type[models.Model]
    name: str

    def _context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def to_plain(self, value: Any) -> str:
        return str(value)

    def from_plain(self, text: str) -> Any:
        return text

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return self.empty_value()
        return self.from_plain(key_ring().open(value, self._context()))

    def empty_value(self) -> Any:
        return ""

    def seal(self, value: Any) -> str | None:
        if value is None or value == "" or value == []:
            return None if getattr(self, "null", False) else ""
        return key_ring().seal(self.to_plain(value), self._context())


class EncryptedTextField(_SealedMixin, models.TextField):
    def get_prep_value(self, value: Any) -> Any:
        return self.seal(super().get_prep_value(value))


class EncryptedDateField(_SealedMixin, models.TextField):
    """A date, sealed: kept as ISO text inside the ciphertext."""

    def empty_value(self) -> Any:
        return None

    def to_plain(self, value: Any) -> str:
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        return value.isoformat()

    def from_plain(self, text: str) -> Any:
        return datetime.date.fromisoformat(text)

    def to_python(self, value: Any) -> Any:
        if value in (None, ""):
            return None
        if isinstance(value, datetime.date):
            return value
        return datetime.date.fromisoformat(str(value))

    def get_prep_value(self, value: Any) -> Any:
        return self.seal(value)

    def formfield(
        self, form_class: Any = None, choices_form_class: Any = None, **kwargs: Any
    ) -> Any:
        from django import forms

        return forms.DateField(**{"required": not self.blank, **kwargs})


class EncryptedJSONField(_SealedMixin, models.TextField):
    """A small JSON value (a list of aliases, a contact record), sealed."""

    def empty_value(self) -> Any:
        return self.default() if callable(self.default) else None

    def to_plain(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    def from_plain(self, text: str) -> Any:
        return json.loads(text)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        return self.seal(value)
