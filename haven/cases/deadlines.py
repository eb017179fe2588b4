"""What is due soon or overdue: reasonable-grounds decisions (5 working days from referral),
ends of reflection periods, answers to referrals and service follow-ups."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import User
from haven.accounts.roles import Role
from haven.cases import policy
from haven.cases.choices import ServiceStatus, Stage
from haven.cases.models import Case, Service

HORIZON_DAYS = 14
LIMIT = 200

KINDS: dict[str, Promise] = {
    "rg_decision": _("Reasonable-grounds decision"),
    "reflection_end": _("End of the recovery and reflection period"),
    "referral_answer": _("Answer to a referral"),
    "service_follow_up": _("Service follow-up"),
}


@dataclass(frozen=True)
class Deadline:
    due: datetime.date
    kind: str
    reference: str
    url: str

    @property
    def label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def overdue(self) -> bool:
        return self.due < timezone.localdate()


def deadlines_for(user: User, *, scope: str = "mine") -> list[Deadline]:
    """`scope` "mine": the user's own cases (and, for supervisors, the decisions waiting in
    their organisation); "organisation": every case the user may see."""
    from django.urls import reverse

    from haven.referrals.models import Referral
    from haven.referrals.policy import inbox

    today = timezone.localdate()
    until = today + datetime.timedelta(days=HORIZON_DAYS)
    cases = policy.visible_cases(user).exclude(stage=Stage.CLOSED)
    if scope == "mine":
        mine = Q(assigned_to=user) | Q(created_by=user)
        if user.has_role(Role.SUPERVISOR):
            mine |= Q(stage=Stage.REFERRED)
        cases = cases.filter(mine)
    found: list[Deadline] = []

    def url(reference: str) -> str:
        return reverse("cases:detail", args=[reference])

    for ref, due in cases.filter(stage=Stage.REFERRED, rg_due__lte=until).values_list(
        "reference", "rg_due"
    )[:LIMIT]:
        if due:
            found.append(Deadline(due, "rg_decision", ref, url(ref)))
    for ref, due in cases.filter(
        stage=Stage.RECOVERY_REFLECTION, reflection_ends__lte=until
    ).values_list("reference", "reflection_ends")[:LIMIT]:
        if due:
            found.append(Deadline(due, "reflection_end", ref, url(ref)))
    services = Service.objects.filter(
        case__in=cases,
        follow_up_on__lte=until,
        status__in=[ServiceStatus.PLANNED, ServiceStatus.IN_PROGRESS],
    ).values_list("case__reference", "follow_up_on")[:LIMIT]
    for ref, due in services:
        if due:
            found.append(Deadline(due, "service_follow_up", ref, url(ref)))
    pending = Referral.objects.filter(status=Referral.Status.PENDING, respond_by__lte=until)
    received = pending.filter(pk__in=inbox(user).values("pk"))
    sent = pending.filter(case__in=cases)
    for referral_id, ref, due in (received | sent).values_list(
        "pk", "case__reference", "respond_by"
    )[:LIMIT]:
        found.append(
            Deadline(due, "referral_answer", ref, reverse("referrals:detail", args=[referral_id]))
        )
    return sorted(found, key=lambda d: (d.due, d.reference))


def case_deadlines(case: Case) -> list[Deadline]:
    from django.urls import reverse

    url = reverse("cases:detail", args=[case.reference])
    found = []
    if case.stage == Stage.REFERRED and case.rg_due:
        found.append(Deadline(case.rg_due, "rg_decision", case.reference, url))
    if case.stage == Stage.RECOVERY_REFLECTION and case.reflection_ends:
        found.append(Deadline(case.reflection_ends, "reflection_end", case.reference, url))
    for service in case.services.all():
        if service.follow_up_on and service.status in (
            ServiceStatus.PLANNED,
            ServiceStatus.IN_PROGRESS,
        ):
            found.append(Deadline(service.follow_up_on, "service_follow_up", case.reference, url))
    return sorted(found, key=lambda d: d.due)
