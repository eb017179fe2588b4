"""How a screening reaches case management: "refer for identification" creates the case, or
moves an existing one on, and a non-punishment flag reaches the case owner at once.

Registered by CasesConfig.ready() through haven.screening.hooks, so that screening never
imports this app.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from haven.accounts.models import User
from haven.cases import services
from haven.cases.choices import ExploitationType, FirstContact, Sex, Stage
from haven.cases.models import Case
from haven.cases.notifications import notify
from haven.cases.policy import CaseError
from haven.screening.hooks import ReferralRefusedError
from haven.screening.models import Screening
from haven.screening.rules import Assessment

_EXPLOITATION = {
    "labour": [ExploitationType.FORCED_LABOUR],
    "sexual": [ExploitationType.SEXUAL],
    "both": [ExploitationType.FORCED_LABOUR, ExploitationType.SEXUAL],
}


def _person(details: dict[str, Any], screening: Screening) -> services.PersonInput:
    return services.PersonInput(
        family_name=details.get("family_name", ""),
        given_name=details.get("given_name", ""),
        name_original=details.get("name_original", ""),
        sex=details.get("sex") or Sex.NOT_SPECIFIED,
        estimated_age=screening.age,
        citizenships=[details["citizenship"]] if details.get("citizenship") else [],
        languages=[screening.interviewee_language.split("-")[0]],
    )


def refer_screening(screening: Screening, actor: User, details: dict[str, Any]) -> str:
    """Create the case (or take the one named on the screening), then refer it."""
    try:
        return _refer(screening, actor, details)
    except CaseError as exc:
        raise ReferralRefusedError(exc.message) from None


@transaction.atomic
def _refer(screening: Screening, actor: User, details: dict[str, Any]) -> str:
    case = None
    if screening.case_reference:
        case = Case.objects.filter(
            reference=screening.case_reference, organisation_id=actor.organisation_id
        ).first()
    if case is None:
        case = services.create_case(
            services.CaseInput(
                person=_person(details, screening),
                first_contact=FirstContact.CUSTODY if screening.met_in_custody else "",
                exploitation_types=list(_EXPLOITATION[screening.exploitation]),
                child=screening.result.get("profile", "").startswith("child"),
            ),
            actor=actor,
        )
    if case.stage == Stage.FIRST_CONTACT:
        case = services.start_screening(case, actor=actor)
    if case.stage == Stage.SCREENING:
        case = services.refer_for_identification(case, actor=actor)
    return case.reference


def on_screening_completed(
    sender: Any, screening: Screening, assessment: Assessment, **_: Any
) -> None:
    """A presumed victim met in custody must not be punished: tell the case owner now."""
    if not screening.case_reference or not assessment.has_flag("non_punishment"):
        return
    case = Case.objects.filter(
        reference=screening.case_reference, organisation_id=screening.organisation_id
    ).first()
    if case is not None:
        notify([case.assigned_to, case.created_by], case.reference, "non_punishment")
