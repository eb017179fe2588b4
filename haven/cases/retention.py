"""Erasure on request and retention: what `haven erase case:HVN-…` and `haven purge` do to a
case. The case row, its stage history and its audit trail stay (they hold no personal data);
everything that names, locates or describes the person is removed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F

from haven.accounts.models import Organisation
from haven.cases.models import Case, Decision, IdentityDocument, TimelineEntry


def case_owner(reference: str) -> Organisation | None:
    case = Case.objects.filter(reference=reference).select_related("organisation").first()
    return case.organisation if case else None


@transaction.atomic
def erase_case(reference: str) -> bool:
    case = Case.objects.select_for_update().filter(reference=reference).first()
    if case is None:
        return False
    person = case.person
    person.family_name = person.given_name = person.name_original = ""
    person.aliases = []
    person.date_of_birth = None
    person.contact = person.notes = ""
    person.save()
    IdentityDocument.objects.filter(person=person).delete()
    for entry in TimelineEntry.objects.filter(case=case).exclude(note=""):
        entry.note = ""
        entry.save(update_fields=["note"])
    for decision in Decision.objects.filter(case=case):
        decision.reasons = ""
        decision.save(update_fields=["reasons"])
    return True


def expired_cases(now: datetime) -> Iterable[str]:
    """Closed cases whose organisation's retention period has run out since closure."""
    closed = Case.objects.filter(closed_at__isnull=False).select_related("organisation")
    for reference, closed_at, days in closed.values_list(
        "reference", "closed_at", F("organisation__retention_days")
    ):
        if closed_at + timedelta(days=days) <= now:
            yield f"case:{reference}"
