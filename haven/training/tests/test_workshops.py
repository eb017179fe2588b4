"""Workshops: trainers plan, follow and export; participants see only their own results."""

from __future__ import annotations

import csv
import io

import pytest

from haven.audit.models import AuditEvent
from haven.training.library import file_library
from haven.training.models import Workshop
from haven.training.tests.helpers import run_attempt

pytestmark = pytest.mark.django_db

ALMERIA = "01-almeria-greenhouses"
CYPRUS = "02-cyprus-artiste-visa"


def _create(client, people) -> Workshop:
    response = client.post(
        "/training/workshops/new/",
        {
            "title": "Identification workshop, Athens",
            "date": "2026-12-03",
            "place": "Athens",
            "language": "en",
            "participants": [people.trainee_a.pk, people.trainee_b.pk, people.trainee_c.pk],
            "case_studies": [ALMERIA, CYPRUS],
        },
    )
    assert response.status_code == 302, response.content
    return Workshop.objects.get()


def test_a_trainer_creates_a_workshop_with_participants_from_several_countries(
    people, client_for
) -> None:
    workshop = _create(client_for(people.trainer_a), people)
    assert workshop.organisation == people.trainer_a.organisation
    countries = {p.organisation.country for p in workshop.participants.all()}
    assert countries == {"ES", "CN", "GR"}
    assert AuditEvent.objects.filter(action="create", object_ref=workshop.object_ref).exists()


def test_only_trainers_create_workshops(people, client_for) -> None:
    assert client_for(people.trainee_a).get("/training/workshops/new/").status_code == 403
    analyst = client_for(people.personas.analyst_a)
    assert analyst.get("/training/workshops/new/").status_code == 403


def test_the_export_lists_every_participant_and_indicator(people, client_for) -> None:
    trainer = client_for(people.trainer_a)
    workshop = _create(trainer, people)
    study = file_library()[ALMERIA]
    perfect = dict(study.engine_input["answers"])
    run_attempt(
        client_for(people.trainee_a),
        study,
        perfect,
        list(study.key.next_steps),
        workshop=workshop.pk,
    )
    run_attempt(client_for(people.trainee_b), study, {"DR-1": "yes"}, [], workshop=workshop.pk)
    # trainee_c has not started: still listed.

    response = trainer.get(f"/training/workshops/{workshop.pk}/export/participants.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["participant"] for r in rows} == {"trainee-a", "trainee-b", "trainee-c"}
    assert len(rows) == 3 * 2  # every participant x every assigned case study
    by_key = {(r["participant"], r["case_study"]): r for r in rows}
    assert by_key[("trainee-a", ALMERIA)]["score"] == "100"
    assert by_key[("trainee-b", ALMERIA)]["outcome_correct"] == "no"
    assert "CD-2" in by_key[("trainee-b", ALMERIA)]["indicators_missed"]
    assert by_key[("trainee-c", ALMERIA)]["status"] == "not_started"
    assert by_key[("trainee-a", CYPRUS)]["status"] == "not_started"
    assert AuditEvent.objects.filter(action="export", object_ref=workshop.object_ref).exists()

    response = trainer.get(f"/training/workshops/{workshop.pk}/export/indicators.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_id = {r["indicator"]: r for r in rows}
    assert by_id["CD-2"]["missed"] == "1"
    assert by_id["CD-2"]["in_key"] == "2"
    assert by_id["DR-1"]["missed"] == "0"
    assert rows[0]["missed"] == "1"  # most missed first


def test_the_progress_table_is_polled_by_the_workshops_trainers(people, client_for) -> None:
    trainer = client_for(people.trainer_a)
    workshop = _create(trainer, people)
    page = trainer.get(f"/training/workshops/{workshop.pk}/")
    assert b'hx-trigger="every 10s"' in page.content
    partial = trainer.get(f"/training/workshops/{workshop.pk}/progress/")
    assert partial.status_code == 200
    assert b"trainee-c" in partial.content


def test_results_stay_with_the_trainee_and_the_workshops_trainers(people, client_for) -> None:
    workshop = _create(client_for(people.trainer_a), people)
    study = file_library()[ALMERIA]
    feedback_url = run_attempt(
        client_for(people.trainee_b), study, {"DR-1": "yes"}, [], workshop=workshop.pk
    )
    assert client_for(people.trainer_a).get(feedback_url).status_code == 200
    for outsider in [people.trainee_a, people.trainer_b]:
        assert client_for(outsider).get(feedback_url).status_code == 404
    for outsider in [people.trainee_a, people.trainer_b, people.personas.caseworker_a]:
        client = client_for(outsider)
        export = f"/training/workshops/{workshop.pk}/export/participants.csv"
        assert client.get(export).status_code == 404
        assert client.get(f"/training/workshops/{workshop.pk}/progress/").status_code == 404
    # A participant sees the workshop page, without the others' progress.
    page = client_for(people.trainee_a).get(f"/training/workshops/{workshop.pk}/")
    assert page.status_code == 200
    assert b"progress-table" not in page.content


def test_a_trainee_only_starts_assigned_case_studies_of_their_workshops(people, client_for) -> None:
    workshop = _create(client_for(people.trainer_a), people)
    client = client_for(people.trainee_a)
    other = "03-netherlands-chinese-restaurant"
    response = client.post(
        f"/training/case/{other}/practise/",
        {"age": "41", "exploitation": "labour", "workshop": str(workshop.pk)},
    )
    assert response.status_code == 404


def test_the_export_never_writes_a_formula(people, client_for) -> None:
    from haven.training.exports import _cell

    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("trainee-a") == "trainee-a"


def test_progress_and_export_queries_do_not_grow_with_participants(people, client_for) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from haven.accounts.roles import Role
    from haven.testing.personas import make_user

    trainer = client_for(people.trainer_a)
    workshop = _create(trainer, people)
    study = file_library()[ALMERIA]
    run_attempt(client_for(people.trainee_a), study, {"DR-1": "yes"}, [], workshop=workshop.pk)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert trainer.get(url).status_code == 200
        return len(queries)

    urls = [
        f"/training/workshops/{workshop.pk}/progress/",
        f"/training/workshops/{workshop.pk}/export/participants.csv",
        f"/training/workshops/{workshop.pk}/export/indicators.csv",
    ]
    before = [count(url) for url in urls]
    for n in range(5):
        extra = make_user(f"extra-{n}", people.personas.org_b, Role.TRAINEE)
        workshop.participants.add(extra)
        run_attempt(client_for(extra), study, {"EX-1": "yes"}, [], workshop=workshop.pk)
    assert [count(url) for url in urls] == before
