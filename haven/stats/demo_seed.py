"""Demo activity that the statistics dashboards draw on: completed screenings of the demo
cases (outcomes and means of control) and referrals between the demo organisations.
Idempotent: nothing is added where demo screenings already exist."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.roles import Role
from haven.cases.choices import ConsentPurpose
from haven.cases.models import Case, Consent
from haven.referrals.models import Referral
from haven.screening.models import Screening
from haven.screening.rules import ENGINE_VERSION, Answer, Exploitation, assess, default_catalogue

# Answer patterns a screener meets: clear trafficking, deception with debt, exploitation only.
PATTERNS: tuple[dict[str, Answer], ...] = (
    {"DR-1": "yes", "DR-2": "yes", "EX-1": "yes", "EX-2": "yes", "CD-1": "yes", "CD-2": "yes"},
    {
        "DR-1": "yes",
        "CR-4": "yes",
        "EX-1": "yes",
        "EX-4": "yes",
        "CD-3": "yes",
        "CD-5": "yes",
        "CD-14": "yes",
    },
    {"EX-1": "yes", "EX-2": "yes", "EX-7": "yes", "CD-1": "no", "CD-2": "no", "DR-1": "no"},
)


def _screener(case: Case) -> User | None:
    return (
        User.objects.filter(
            organisation=case.organisation, role_grants__role__in=[Role.SCREENER, Role.CASE_WORKER]
        )
        .order_by("username")
        .first()
    )


@transaction.atomic
def seed_demo_activity() -> int:
    demo = Case.objects.filter(is_demo=True).select_related("organisation", "person")
    if (
        not demo.exists()
        or Screening.objects.filter(case_reference__in=demo.values("reference")).exists()
    ):
        return 0
    version = default_catalogue().version
    made = 0
    for n, case in enumerate(demo.order_by("id")):
        interviewer = _screener(case)
        if interviewer is None:
            continue
        answers = PATTERNS[n % len(PATTERNS)]
        exploitation: Exploitation = (
            "sexual" if "sexual_exploitation" in case.exploitation_types else "labour"
        )
        result = assess(
            age=case.person.estimated_age,
            exploitation=exploitation,
            may_be_child=case.child,
            answers=answers,
        )
        Screening.objects.create(
            organisation=case.organisation,
            interviewer=interviewer,
            case_reference=case.reference,
            status=Screening.Status.COMPLETED,
            interview_language=interviewer.language,
            interviewee_language=(case.person.languages or ["en"])[0],
            interpreter_used=n % 2 == 0,
            age=case.person.estimated_age,
            may_be_child=case.child,
            exploitation=exploitation,
            answers=answers,
            result=result.to_dict(),
            outcome=result.outcome,
            catalogue_version=version,
            engine_version=ENGINE_VERSION,
            completed_at=case.opened_at,
        )
        made += 1
    _referrals(demo)
    return made


def _referrals(demo: object) -> None:
    """One accepted and one declined referral per country, police -> NGO or shelter."""
    today = timezone.localdate()
    for n, case in enumerate(Case.objects.filter(is_demo=True, consents__isnull=False).distinct()):
        receiver = (
            User.objects.filter(
                organisation__country=case.organisation.country, role_grants__role=Role.CASE_WORKER
            )
            .exclude(organisation=case.organisation)
            .select_related("organisation")
            .first()
        )
        sender = _screener(case)
        if receiver is None or sender is None or n % 2:
            continue
        consent = Consent.objects.create(
            case=case,
            purpose=ConsentPurpose.REFERRAL,
            organisation=receiver.organisation,
            explained_in=(case.person.languages or ["en"])[0],
            given_on=today,
            recorded_by=sender,
        )
        accepted = n % 4 == 0
        sent = timezone.now() - datetime.timedelta(days=3)
        Referral.objects.create(
            case=case,
            from_organisation=case.organisation,
            to_organisation=receiver.organisation,
            purpose=Referral.Purpose.ASSISTANCE,
            consent=consent,
            fields=["stage"],
            sent_by=sender,
            sent_at=sent,
            respond_by=today + datetime.timedelta(days=3),
            status=Referral.Status.ACCEPTED if accepted else Referral.Status.DECLINED,
            responded_by=receiver,
            responded_at=sent + datetime.timedelta(hours=20 + n),
            decline_reason="" if accepted else "Demo: no place available this week.",
        )
