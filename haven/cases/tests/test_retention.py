import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from haven.audit.models import AuditEvent
from haven.cases import services
from haven.cases.models import Case
from haven.cases.services import CaseInput, DocumentInput, PersonInput
from haven.security.erasure import erase, expired

pytestmark = pytest.mark.django_db


def _case(actor):
    return services.create_case(
        CaseInput(
            person=PersonInput(
                family_name="Ionescu",
                given_name="Maria",
                contact="+40 7",
                documents=[DocumentInput("passport", "RO123456")],
            )
        ),
        actor=actor,
    )


def test_erasure_removes_the_person_and_leaves_a_tombstone(personas):
    case = _case(personas.caseworker_a)
    erase(case.object_ref, actor=personas.supervisor_a)
    case = Case.objects.get(pk=case.pk)
    assert (case.person.family_name, case.person.given_name, case.person.contact) == ("", "", "")
    assert not case.person.documents.exists()
    tombstone = AuditEvent.objects.get(action="erase")
    assert tombstone.object_ref == case.object_ref and "Ionescu" not in str(tombstone.detail)
    with connection.cursor() as cursor:
        cursor.execute("SELECT family_name_index FROM cases_person WHERE id = %s", [case.person_id])
        assert cursor.fetchone()[0] == ""


def test_closed_cases_past_retention_are_found(personas):
    case = _case(personas.caseworker_a)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - datetime.timedelta(days=4000))
    open_case = _case(personas.caseworker_a)
    found = expired()
    assert case.object_ref in found and open_case.object_ref not in found


def test_who_looked_at_a_case(client_for, personas):
    case = _case(personas.caseworker_a)
    client_for(personas.caseworker_a).get(reverse("cases:detail", args=[case.reference]))
    url = reverse("audit:object_history", args=[case.object_ref])
    page = client_for(personas.supervisor_a).get(url)
    assert page.status_code == 200 and "caseworker-a" in page.content.decode()
    assert client_for(personas.caseworker_b).get(url).status_code in (403, 404)
