import pytest
from django.urls import reverse

from haven.audit.models import AuditEvent
from haven.cases import policy, services
from haven.cases.models import Notification
from haven.cases.policy import CaseError, InvalidInputError, NotAllowedError
from haven.cases.search import CaseQuery, search_cases
from haven.referrals.models import Referral
from haven.referrals.services import accept_referral, decline_referral, send_referral

pytestmark = pytest.mark.django_db

FIELDS = ["given_name", "citizenships", "exploitation_types"]


def _send(personas, case, consent, fields=FIELDS):
    return send_referral(
        case,
        actor=personas.caseworker_a,
        to_organisation=personas.org_b,
        purpose="assistance",
        consent=consent,
        fields=fields,
    )


def test_no_consent_no_sharing(personas, reflection_case):
    with pytest.raises(NotAllowedError):
        _send(personas, reflection_case, None)
    assistance = services.record_consent(
        reflection_case, actor=personas.caseworker_a, purpose="assistance", explained_in="es"
    )
    with pytest.raises(NotAllowedError):  # consent for another purpose
        _send(personas, reflection_case, assistance)
    to_other = services.record_consent(
        reflection_case,
        actor=personas.caseworker_a,
        purpose="referral",
        explained_in="es",
        organisation=personas.org_a,
    )
    with pytest.raises(NotAllowedError):  # consent names another organisation
        _send(personas, reflection_case, to_other)
    assert not Referral.objects.exists()
    assert not AuditEvent.objects.filter(action="share").exists()


def test_a_withdrawn_consent_stops_sharing(personas, reflection_case, consent_for_b):
    services.withdraw_consent(consent_for_b, actor=personas.caseworker_a)
    with pytest.raises(NotAllowedError):
        _send(personas, reflection_case, consent_for_b)
    assert not Referral.objects.exists()


def test_consent_withdrawn_before_acceptance_blocks_it(personas, reflection_case, consent_for_b):
    referral = _send(personas, reflection_case, consent_for_b)
    services.withdraw_consent(consent_for_b, actor=personas.caseworker_a)
    with pytest.raises(NotAllowedError):
        accept_referral(referral, actor=personas.caseworker_b)
    assert policy.access(personas.caseworker_b, reflection_case).level is policy.Level.NONE


def test_fields_must_be_known_and_not_empty(personas, reflection_case, consent_for_b):
    with pytest.raises(InvalidInputError):
        _send(personas, reflection_case, consent_for_b, fields=["password"])
    with pytest.raises(InvalidInputError):
        _send(personas, reflection_case, consent_for_b, fields=[])


def test_pending_and_declined_referrals_show_nothing(personas, reflection_case, consent_for_b):
    referral = _send(personas, reflection_case, consent_for_b)
    assert Notification.objects.filter(recipient=personas.caseworker_b).exists()
    assert policy.access(personas.caseworker_b, reflection_case).level is policy.Level.NONE
    with pytest.raises(NotAllowedError):  # the sender cannot answer its own referral
        accept_referral(referral, actor=personas.caseworker_a)
    with pytest.raises(InvalidInputError):
        decline_referral(referral, actor=personas.caseworker_b, reason=" ")
    decline_referral(referral, actor=personas.caseworker_b, reason="No capacity.")
    assert policy.access(personas.caseworker_b, reflection_case).level is policy.Level.NONE
    with pytest.raises(CaseError):
        accept_referral(referral, actor=personas.caseworker_b)
    assert Notification.objects.filter(
        recipient=personas.caseworker_a, message_key="referral_declined"
    ).exists()


def test_after_acceptance_the_receiver_sees_only_what_was_shared(
    personas, reflection_case, consent_for_b
):
    referral = _send(personas, reflection_case, consent_for_b)
    accept_referral(referral, actor=personas.caseworker_b)
    found = policy.access(personas.caseworker_b, reflection_case)
    assert found.level is policy.Level.SHARED
    assert found.fields == frozenset(FIELDS)
    # The receiver's case list, search and export never include the sender's cases.
    assert not policy.visible_cases(personas.caseworker_b).exists()
    assert not search_cases(personas.caseworker_b, CaseQuery(q="maria")).exists()
    shared = search_cases(personas.caseworker_b, CaseQuery(organisation=personas.org_a.pk))
    assert list(shared) == [reflection_case]
    # Name search over shared cases would reveal unshared names: it finds nothing.
    assert not search_cases(
        personas.caseworker_b, CaseQuery(q="garcia lopez", organisation=personas.org_a.pk)
    ).exists()


def test_the_receiver_page_shows_only_shared_fields(
    client_for, personas, reflection_case, consent_for_b
):
    referral = _send(personas, reflection_case, consent_for_b)
    receiver = client_for(personas.caseworker_b)
    url = reverse("referrals:detail", args=[referral.pk])
    pending = receiver.get(url).content.decode()
    assert "María" not in pending and "García" not in pending
    assert receiver.get(reflection_case.get_absolute_url()).status_code == 404
    assert receiver.post(reverse("referrals:accept", args=[referral.pk])).status_code == 302
    page = receiver.get(url).content.decode()
    assert "María" in page
    assert "García" not in page  # the family name was not shared
    assert "+34 600" not in page  # nor the contact
    case_page = receiver.get(reflection_case.get_absolute_url())
    assert case_page.status_code == 200
    html = case_page.content.decode()
    assert "María" in html and "García" not in html and "PY1234567" not in html
    views = AuditEvent.objects.filter(action="view", object_ref=reflection_case.object_ref)
    assert views.filter(actor=personas.caseworker_b).count() == 2


def test_shared_values_read_in_the_receivers_language(
    client_for, personas, reflection_case, consent_for_b
):
    referral = _send(personas, reflection_case, consent_for_b, [*FIELDS, "route", "sex"])
    accept_referral(referral, actor=personas.caseworker_b)
    personas.caseworker_b.language = "es"
    personas.caseworker_b.save(update_fields=["language"])
    page = client_for(personas.caseworker_b).get(reflection_case.get_absolute_url())
    html = page.content.decode()
    # Labels and country names, not the stored codes.
    assert "forced_criminality" not in html and "sexual_exploitation" not in html
    assert "Criminalidad forzada" in html
    assert "Paraguay" in html and "España" in html
    assert "Femenino" in html


def test_sender_sees_status_and_response_time(client_for, personas, reflection_case, consent_for_b):
    referral = _send(personas, reflection_case, consent_for_b)
    accept_referral(referral, actor=personas.caseworker_b)
    inbox = client_for(personas.caseworker_a).get(reverse("referrals:inbox")).content.decode()
    assert reflection_case.reference in inbox
    assert "Accepted" in inbox
    received = client_for(personas.caseworker_b).get(reverse("referrals:inbox")).content.decode()
    assert reflection_case.reference in received


def test_overdue_referrals_show_on_both_sides(personas, reflection_case, consent_for_b):
    import datetime

    from django.utils import timezone

    from haven.cases.deadlines import deadlines_for

    referral = _send(personas, reflection_case, consent_for_b)
    Referral.objects.filter(pk=referral.pk).update(
        respond_by=timezone.localdate() - datetime.timedelta(days=1)
    )
    referral.refresh_from_db()
    assert referral.is_overdue()
    for user in (personas.caseworker_a, personas.caseworker_b):
        found = [
            d for d in deadlines_for(user, scope="organisation") if d.kind == "referral_answer"
        ]
        assert len(found) == 1 and found[0].overdue


def test_the_shared_list_shows_references_only(
    client_for, personas, reflection_case, consent_for_b
):
    referral = _send(personas, reflection_case, consent_for_b)
    accept_referral(referral, actor=personas.caseworker_b)
    client = client_for(personas.caseworker_b)
    body = client.get(f"/api/v1/cases?organisation={personas.org_a.pk}").json()
    assert body["count"] == 1
    assert body["items"] == [
        {
            "reference": reflection_case.reference,
            "stage": reflection_case.stage,
            "organisation": personas.org_a.pk,
        }
    ]
    html = client.get(reverse("cases:list") + f"?organisation={personas.org_a.pk}").content.decode()
    assert reflection_case.reference in html
    assert "Raid" not in html  # the first contact was not shared
