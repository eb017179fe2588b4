import pytest

from haven.accounts.roles import Role
from haven.cases import services
from haven.cases.tests import conftest as case_fixtures
from haven.testing.personas import make_user

# The case fixtures, shared with the cases app's tests.
make_case = case_fixtures.make_case
referred_case = case_fixtures.referred_case
reflection_case = case_fixtures.reflection_case


@pytest.fixture
def admins(personas):
    return (
        make_user("orgadmin-a", personas.org_a, Role.ORG_ADMIN),
        make_user("orgadmin-b", personas.org_b, Role.ORG_ADMIN),
    )


@pytest.fixture
def consent_for_b(personas, reflection_case):
    return services.record_consent(
        reflection_case,
        actor=personas.caseworker_a,
        purpose="referral",
        explained_in="es",
        organisation=personas.org_b,
    )
