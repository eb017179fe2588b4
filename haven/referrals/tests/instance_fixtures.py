"""People and a case for one throw-away Haven installation, run inside it with
`haven shell -c` by test_two_instances.py (a separate database, key ring and process)."""

from __future__ import annotations

import datetime

from haven.accounts.models import Organisation
from haven.accounts.roles import Role
from haven.cases import services
from haven.cases.services import CaseInput, PersonInput, RouteInput
from haven.testing.personas import make_user


def make_organisation(name: str, country: str, prefix: str, two_factor: bool = True) -> None:
    org = Organisation.objects.create(
        name=name,
        country=country,
        kind=Organisation.Kind.NGO,
        languages=["en"],
        two_factor_required=two_factor,
    )
    make_user(f"{prefix}-admin", org, Role.ORG_ADMIN)
    make_user(f"{prefix}-worker", org, Role.CASE_WORKER)


def make_returning_case(worker: str, partner: str) -> None:
    """A case whose person agreed to a cross-border transfer to ``partner``; prints its
    reference for the test to read."""
    from haven.accounts.models import User

    actor = User.objects.get(username=worker)
    case = services.create_case(
        CaseInput(
            person=PersonInput(
                family_name="ZHANG",
                given_name="XIAOLI",
                name_original="张小丽",
                sex="feminine",
                date_of_birth=datetime.date(1999, 3, 12),
                citizenships=["CN"],
                languages=["zh"],
            ),
            first_contact="labour_inspection",
            exploitation_types=["forced_labour"],
            risk_level="high",
            route=[RouteInput("origin", "CN"), RouteInput("destination", "ES")],
        ),
        actor=actor,
    )
    services.record_consent(
        case,
        actor=actor,
        purpose="cross_border",
        explained_in="zh",
        organisation=Organisation.objects.get(name=partner),
    )
    print(case.reference)
