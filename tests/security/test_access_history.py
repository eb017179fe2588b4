import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from haven.audit.models import AuditEvent
from haven.audit.services import access_history, record_event
from haven.security.policy import owning_organisation, register_owner, require

pytestmark = pytest.mark.django_db


def _ref(user):
    return f"user:{user.pk}"


def test_access_history_lists_who_did_what_newest_first(personas):
    ref = "thing:1"
    record_event(AuditEvent.Action.VIEW, actor=personas.caseworker_a, object_ref=ref)
    record_event(AuditEvent.Action.UPDATE, actor=personas.supervisor_a, object_ref=ref)
    record_event(AuditEvent.Action.VIEW, actor=personas.caseworker_a, object_ref="thing:2")
    rows = list(access_history(ref))
    assert [r.actor_username for r in rows] == ["supervisor-a", "caseworker-a"]
    assert [r.action for r in access_history(ref, actions=["view"])] == ["view"]


def test_the_owner_registry(personas):
    register_owner("thing", lambda rest: personas.org_b if rest == "1" else None)
    assert owning_organisation("thing:1") == personas.org_b
    assert owning_organisation("thing:2") is None
    assert owning_organisation("nothing:1") is None
    assert owning_organisation("no-prefix") is None


def test_supervisor_of_the_owning_organisation_sees_the_page(client_for, personas):
    ref = _ref(personas.caseworker_a)
    record_event(AuditEvent.Action.VIEW, actor=personas.investigator_a, object_ref=ref)
    response = client_for(personas.supervisor_a).get(f"/audit/{ref}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "investigator-a" in body
    # Looking at the history is itself recorded.
    latest = access_history(ref).first()
    assert latest is not None and latest.actor_username == "supervisor-a"


@pytest.mark.parametrize("name", ["caseworker_a", "analyst_a", "investigator_a", "caseworker_b"])
def test_others_are_refused_and_the_refusal_is_audited(client_for, personas, name):
    ref = _ref(personas.caseworker_a)
    response = client_for(getattr(personas, name)).get(f"/audit/{ref}/")
    assert response.status_code == 403
    denied = AuditEvent.objects.filter(action=AuditEvent.Action.DENIED)
    assert denied.count() == 1  # once, not twice (the policy and the 403 handler)
    assert denied.get().object_ref == ref


def test_a_supervisor_of_another_organisation_is_refused(client_for, personas):
    from haven.accounts.roles import Role
    from haven.testing.personas import make_user

    supervisor_b = make_user("supervisor-b", personas.org_b, Role.SUPERVISOR)
    ref = _ref(personas.caseworker_a)
    assert client_for(supervisor_b).get(f"/audit/{ref}/").status_code == 403


def test_anonymous_is_sent_to_sign_in(personas):
    response = Client().get(f"/audit/user:{personas.caseworker_a.pk}/")
    assert response.status_code == 302


class _Never:
    def allows(self, user, permission, obj=None):
        return False


def test_require_raises_and_audits(personas):
    with pytest.raises(PermissionDenied):
        require(personas.caseworker_a, "thing.view", None, policy=_Never(), object_ref="thing:9")
    row = AuditEvent.objects.get(action=AuditEvent.Action.DENIED)
    assert row.object_ref == "thing:9" and row.detail == {"permission": "thing.view"}


def test_any_403_page_is_audited(client_for, personas):
    # The admin refuses a signed-in user without staff rights with a 403-free redirect; a
    # CSRF failure is a 403 from outside any policy.
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.caseworker_a)
    response = client.post("/accounts/preferences/", {"language": "en"})
    assert response.status_code == 403
    row = AuditEvent.objects.get(action=AuditEvent.Action.DENIED)
    assert row.actor_username == "caseworker-a"
    assert row.detail["route"] == "accounts:preferences"


def test_an_api_permission_refusal_is_a_json_403_and_audited_once(personas):
    from ninja import NinjaAPI
    from ninja.testing import TestClient

    from haven.api.errors import install_error_handlers

    api = NinjaAPI(urls_namespace="test-denied")
    install_error_handlers(api)

    @api.get("/thing", auth=None)
    def thing(request):
        require(request.user, "thing.view", None, policy=_Never(), object_ref="thing:7")

    response = TestClient(api).get("/thing", user=personas.analyst_a)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    rows = AuditEvent.objects.filter(action=AuditEvent.Action.DENIED)
    assert rows.count() == 1 and rows.get().object_ref == "thing:7"
