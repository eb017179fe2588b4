"""Public releases: differentially private tables computed with OpenDP through the pure core
(`haven.stats.publication`), a budget ledger per dataset kept in the database, and a
supervisor's approval before anything is published."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from haven.accounts.models import Organisation, User
from haven.accounts.roles import Role
from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.stats.models import BudgetEntry, PrivacyBudget, Release
from haven.stats.publication import (
    BudgetLedger,
    PublicationError,
    TableSpec,
    compute_release,
)
from haven.stats.records import publication_record, rows_for
from haven.stats.scope import organisations_in_scope

# The years a release covers are public knowledge, never read from the data.
FIRST_YEAR = 2015
OFFERED_TABLES: tuple[tuple[str, ...], ...] = (
    ("year",),
    ("sex",),
    ("age_band",),
    ("citizenship",),
    ("country_of_exploitation",),
    ("exploitation_type",),
    ("means_of_control",),
    ("route",),
    ("route_country",),
    ("year", "sex"),
    ("citizenship_region", "exploitation_type"),
)


class ReleaseRefusedError(Exception):
    """The release cannot be computed; the message says why."""


def dataset_of(user: User) -> str:
    if user.organisation.kind == Organisation.Kind.INTERNATIONAL:
        return "network"
    return f"organisation-{user.organisation_id}"


def ledger_for(dataset: str, budget: PrivacyBudget | None = None) -> BudgetLedger:
    """The dataset's ledger; pass the budget row when it is already locked and read."""
    if budget is None:
        budget, _created = PrivacyBudget.objects.get_or_create(dataset=dataset)
    rows = BudgetEntry.objects.filter(dataset=dataset).values_list(
        "epsilon", "delta", "label", "at"
    )
    return BudgetLedger.from_rows(
        dataset, list(rows), epsilon_budget=budget.epsilon, delta_budget=budget.delta
    )


def may_compute(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.ANALYST)


def may_approve(user: User, release: Release) -> bool:
    return user.has_role(Role.SUPERVISOR) and dataset_of(user) == release.dataset


def visible_releases(user: User) -> Any:
    return Release.objects.filter(dataset=dataset_of(user))


def _cells(release: Any) -> list[dict[str, Any]]:
    return [
        {
            "table": " × ".join(table.spec.dimensions),
            "dimensions": list(table.spec.dimensions),
            "epsilon": table.epsilon,
            "delta": table.delta,
            "mechanism": table.mechanism,
            "threshold": table.threshold,
            "margin": table.margin,
            "cells": [
                {
                    "key": list(cell.key),
                    "count": cell.count,
                    "lower": cell.lower,
                    "upper": cell.upper,
                }
                for cell in table.cells
            ],
        }
        for table in release.tables
    ]


def lock_budget(dataset: str) -> PrivacyBudget:
    """The dataset's budget row, locked until the transaction ends: one writer at a time
    (a release or a budget change), so two never share the last of the budget."""
    PrivacyBudget.objects.get_or_create(dataset=dataset)
    return PrivacyBudget.objects.select_for_update().get(dataset=dataset)


def create_release(
    *,
    actor: User,
    title: str,
    tables: Sequence[tuple[str, ...]],
    epsilon: float,
    mechanism: str = "laplace",
    delta: float | None = None,
) -> Release:
    """Compute and store a draft release, spending from the dataset's budget first.

    ``delta=None``: 0, or the default 1/(n ln n) when a country-route table needs one."""
    if not may_compute(actor):
        raise PermissionDenied
    dataset = dataset_of(actor)
    with transaction.atomic():
        ledger = ledger_for(dataset, lock_budget(dataset))
        records = [publication_record(row) for row in rows_for(organisations_in_scope(actor))]
        try:
            computed = compute_release(
                records,
                [TableSpec(tuple(dims)) for dims in tables],
                epsilon=epsilon,
                delta=delta,
                mechanism=mechanism,  # type: ignore[arg-type]
                years=range(FIRST_YEAR, timezone.now().year + 1),
                ledger=ledger,
                label=title,
            )
        except PublicationError as exc:
            raise ReleaseRefusedError(str(exc)) from None
        release = Release.objects.create(
            dataset=dataset,
            title=title,
            tables=[list(dims) for dims in tables],
            epsilon=epsilon,
            delta=computed.delta,
            mechanism=mechanism,
            confidence=computed.confidence,
            result={"tables": _cells(computed)},
            created_by=actor,
        )
        spend = ledger.entries[-1]
        BudgetEntry.objects.create(
            dataset=dataset,
            epsilon=spend.epsilon,
            delta=spend.delta,
            label=title,
            at=spend.at,
            release=release,
        )
        record_event(
            AuditEvent.Action.CREATE,
            actor=actor,
            object_ref=f"release:{release.pk}",
            detail={"epsilon": epsilon, "delta": computed.delta, "tables": len(tables)},
        )
    return release


@transaction.atomic
def decide_release(*, actor: User, release: Release, approve: bool) -> Release:
    if not may_approve(actor, release) or release.status != Release.Status.DRAFT:
        raise PermissionDenied
    release.status = Release.Status.APPROVED if approve else Release.Status.REJECTED
    release.decided_by = actor
    release.decided_at = timezone.now()
    release.save(update_fields=["status", "decided_by", "decided_at"])
    record_event(
        AuditEvent.Action.DECIDE,
        actor=actor,
        object_ref=f"release:{release.pk}",
        detail={"approved": approve},
    )
    return release


def release_csv(release: Release) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "table",
            "category",
            "count",
            "lower_95",
            "upper_95",
            "epsilon",
            "delta",
            "margin",
            "suppressed_below",
        ]
    )
    for table in release.result.get("tables", []):
        # A thresholded table lists only the categories that passed its threshold.
        threshold = table.get("threshold")
        for cell in table["cells"]:
            writer.writerow(
                [
                    table["table"],
                    " / ".join(cell["key"]),
                    cell["count"],
                    cell["lower"],
                    cell["upper"],
                    f"{table['epsilon']:g}",
                    f"{table.get('delta', 0.0):g}",
                    table.get("margin", ""),
                    "" if threshold is None else threshold,
                ]
            )
    return out.getvalue().encode("utf-8")


def _bar_svg(table: dict[str, Any]) -> str:
    cells = [c for c in table["cells"] if c["count"] > 0][:40]
    peak = max((c["count"] for c in cells), default=1) or 1
    height = 22 * len(cells) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 {height}" '
        f'font-family="sans-serif" font-size="12">'
    ]
    for n, cell in enumerate(cells):
        y = 5 + 22 * n
        width = 380 * cell["count"] / peak
        label = " / ".join(cell["key"]).replace("&", "&amp;").replace("<", "&lt;")
        parts.append(f'<text x="0" y="{y + 14}">{label[:40]}</text>')
        parts.append(f'<rect x="240" y="{y}" width="{width:.1f}" height="16" fill="#3182bd"/>')
        parts.append(
            f'<text x="{245 + width:.1f}" y="{y + 14}">{cell["count"]} '
            f"[{cell['lower']}–{cell['upper']}]</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def chart_pack(release: Release) -> bytes:
    """A zip of the release's CSV and one SVG bar chart per table, with the error bounds."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        pack.writestr("release.csv", release_csv(release))
        for n, table in enumerate(release.result.get("tables", []), start=1):
            pack.writestr(f"chart-{n:02d}-{'-'.join(table['dimensions'])}.svg", _bar_svg(table))
    return buffer.getvalue()
