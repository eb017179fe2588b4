"""The id of the request being served, for log lines and audit rows (no personal data)."""

from __future__ import annotations

from contextvars import ContextVar

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")
