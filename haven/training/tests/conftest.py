from __future__ import annotations

from dataclasses import dataclass

import pytest

from haven.accounts.models import Organisation, User
from haven.accounts.roles import Role
from haven.testing.personas import Personas, make_user


@dataclass(frozen=True)
class TrainingPeople:
    trainer_a: User
    trainer_b: User
    trainee_a: User
    trainee_b: User  # another organisation, another country
    trainee_c: User  # a third organisation
    personas: Personas


@pytest.fixture
def people(personas: Personas) -> TrainingPeople:
    org_c = Organisation.objects.create(
        name="Organisation C (Greece)",
        country="GR",
        city="Athens",
        kind=Organisation.Kind.SHELTER,
        languages=["el", "en"],
    )
    return TrainingPeople(
        trainer_a=make_user("trainer-a", personas.org_a, Role.TRAINER),
        trainer_b=make_user("trainer-b", personas.org_b, Role.TRAINER),
        trainee_a=make_user("trainee-a", personas.org_a, Role.TRAINEE, language="es"),
        trainee_b=make_user("trainee-b", personas.org_b, Role.TRAINEE, language="zh-hans"),
        trainee_c=make_user("trainee-c", org_c, Role.TRAINEE, language="el"),
        personas=personas,
    )
