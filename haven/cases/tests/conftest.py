import datetime
from typing import Any

import pytest

from haven.cases import services
from haven.cases.services import CaseInput, DocumentInput, PersonInput, RouteInput


def case_input(**person):
    defaults: dict[str, Any] = {
        "family_name": "García López",
        "given_name": "María",
        "name_original": "",
        "sex": "feminine",
        "date_of_birth": datetime.date(1998, 4, 2),
        "citizenships": ["PY"],
        "languages": ["es"],
        "contact": "+34 600 111 222",
        "documents": [DocumentInput("passport", "PY1234567", "PY")],
    }
    defaults.update(person)
    return CaseInput(
        person=PersonInput(**defaults),
        first_contact="raid",
        exploitation_types=["sexual_exploitation", "forced_criminality"],
        risk_level="high",
        route=[RouteInput("origin", "PY"), RouteInput("destination", "ES")],
    )


@pytest.fixture
def make_case(personas):
    def make(actor=None, **person):
        return services.create_case(case_input(**person), actor=actor or personas.caseworker_a)

    return make


@pytest.fixture
def referred_case(personas, make_case):
    case = make_case()
    services.start_screening(case, actor=personas.caseworker_a)
    services.refer_for_identification(case, actor=personas.caseworker_a)
    return case


@pytest.fixture
def reflection_case(personas, referred_case):
    services.record_decision(
        referred_case,
        actor=personas.supervisor_a,
        kind="reasonable_grounds",
        outcome="positive",
        reasons="Credible account of debt bondage and document retention.",
    )
    return referred_case
