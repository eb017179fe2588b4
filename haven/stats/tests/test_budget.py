import pytest
from django.urls import reverse

from haven.accounts.roles import Role
from haven.audit.models import AuditEvent
from haven.security.policy import owning_organisation
from haven.stats import budgets, releases
from haven.stats.models import BudgetChange, BudgetEntry, PrivacyBudget
from haven.stats.tests.test_publication_workflow import _cases
from haven.testing.personas import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgadmin_a(personas):
    return make_user("orgadmin-a", personas.org_a, Role.ORG_ADMIN)


def _budget(dataset):
    return PrivacyBudget.objects.get(dataset=dataset)


def test_an_organisation_admin_raises_the_budget_with_a_reason_and_it_is_audited(
    client_for, personas, orgadmin_a
):
    client = client_for(orgadmin_a)
    page = client.get(reverse("stats:budget"))
    assert page.status_code == 200 and 'id="budget-figures"' in page.content.decode()
    response = client.post(
        reverse("stats:budget"),
        {"epsilon": "12", "delta": "0.0001", "reason": "Annual report needs route tables."},
    )
    assert response.status_code == 302
    dataset = releases.dataset_of(orgadmin_a)
    assert (_budget(dataset).epsilon, _budget(dataset).delta) == (12.0, 0.0001)
    change = BudgetChange.objects.get()
    assert (change.epsilon_before, change.epsilon_after) == (10.0, 12.0)
    assert change.reason == "Annual report needs route tables." and change.changed_by == orgadmin_a
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.object_ref == f"privacy-budget:{dataset}"
    assert event.detail["reason"] == change.reason and event.detail["epsilon"] == [10.0, 12.0]
    assert owning_organisation(event.object_ref) == personas.org_a
    html = client.get(reverse("stats:budget")).content.decode()
    assert "Annual report needs route tables." in html


def test_a_raise_without_a_reason_changes_nothing(client_for, orgadmin_a):
    client = client_for(orgadmin_a)
    response = client.post(reverse("stats:budget"), {"epsilon": "20", "delta": "1e-6"})
    assert response.status_code == 200
    assert "Give the reason for raising the budget." in response.content.decode()
    assert BudgetChange.objects.count() == 0
    assert _budget(releases.dataset_of(orgadmin_a)).epsilon == 10.0
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()


def test_the_budget_cannot_go_below_what_was_spent(client_for, personas):
    _cases(personas.caseworker_a)
    dataset = releases.dataset_of(personas.supervisor_a)
    releases.create_release(
        actor=personas.analyst_a, title="Counts", tables=[("year",), ("sex",)], epsilon=3.0
    )
    client = client_for(personas.supervisor_a)
    response = client.post(reverse("stats:budget"), {"epsilon": "2", "delta": "1e-6"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "cannot be set below what releases have already spent (3)" in html
    assert _budget(dataset).epsilon == 10.0 and BudgetChange.objects.count() == 0
    # Lowering to exactly what was spent is allowed, and needs no reason.
    lowered = client.post(reverse("stats:budget"), {"epsilon": "3", "delta": "1e-6"})
    assert lowered.status_code == 302 and _budget(dataset).epsilon == 3.0
    with pytest.raises(releases.ReleaseRefusedError, match="budget"):
        releases.create_release(
            actor=personas.analyst_a, title="More", tables=[("sex",)], epsilon=0.5
        )
    assert BudgetEntry.objects.count() == 1


def test_bad_input_is_refused_with_a_message_and_changes_nothing(client_for, orgadmin_a):
    client = client_for(orgadmin_a)
    for data in (
        {"epsilon": "-1", "delta": "0"},
        {"epsilon": "abc", "delta": "0"},
        {"epsilon": "5", "delta": "0.5", "reason": "x"},
        {"epsilon": "10", "delta": "1e-6"},  # unchanged
    ):
        response = client.post(reverse("stats:budget"), data)
        assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert BudgetChange.objects.count() == 0
    with pytest.raises(budgets.BudgetChangeRefusedError):
        budgets.set_budget(actor=orgadmin_a, epsilon=float("nan"), delta=0.0, reason="x")
    assert BudgetChange.objects.count() == 0


def test_only_admins_and_supervisors_of_the_dataset_and_refusals_are_audited(
    client_for, personas, orgadmin_a
):
    for user in (personas.analyst_a, personas.caseworker_a, personas.admin):
        client = client_for(user)
        assert client.get(reverse("stats:budget")).status_code == 403
        assert (
            client.post(reverse("stats:budget"), {"epsilon": "99", "delta": "0"}).status_code == 403
        )
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.DENIED, object_ref__startswith="privacy-budget:"
        ).count()
        == 6
    )
    assert BudgetChange.objects.count() == 0
    # An admin of organisation B sets B's dataset, never A's.
    orgadmin_b = make_user("orgadmin-b", personas.org_b, Role.ORG_ADMIN)
    budgets.set_budget(actor=orgadmin_b, epsilon=4.0, delta=1e-6, reason="")
    assert _budget(releases.dataset_of(orgadmin_b)).epsilon == 4.0
    assert not PrivacyBudget.objects.filter(dataset=releases.dataset_of(orgadmin_a)).exists()
    assert budgets.BUDGET_POLICY.allows(orgadmin_b, "stats.budget.change", "network") is False


def test_the_releases_page_links_the_budget_page_for_those_who_may_set_it(client_for, personas):
    supervisor = client_for(personas.supervisor_a).get(reverse("stats:releases")).content.decode()
    analyst = client_for(personas.analyst_a).get(reverse("stats:releases")).content.decode()
    assert 'id="set-budget-link"' in supervisor and 'id="set-budget-link"' not in analyst


def test_the_budget_page_runs_a_fixed_number_of_queries(
    client_for, orgadmin_a, django_assert_max_num_queries
):
    client = client_for(orgadmin_a)
    client.get(reverse("stats:budget"))
    with django_assert_max_num_queries(20) as captured:
        client.get(reverse("stats:budget"))
    first = len(captured.captured_queries)
    for n in range(6):
        budgets.set_budget(actor=orgadmin_a, epsilon=11.0 + n, delta=1e-6, reason=f"step {n}")
    with django_assert_max_num_queries(first):
        page = client.get(reverse("stats:budget"))
    assert page.content.decode().count("step ") == 6
