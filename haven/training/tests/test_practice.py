"""Practice: a trainee screens a case study and gets feedback against the key."""

from __future__ import annotations

import pytest

from haven.screening.models import Screening
from haven.training.library import file_library
from haven.training.models import Attempt
from haven.training.tests.helpers import answers_post, profile_of, run_attempt

pytestmark = pytest.mark.django_db

ALMERIA = "01-almeria-greenhouses"


def test_the_library_is_readable_by_every_role(people, client_for) -> None:
    for user in [people.personas.analyst_a, people.personas.caseworker_a, people.trainee_a]:
        client = client_for(user)
        assert client.get("/training/").status_code == 200
        assert client.get(f"/training/case/{ALMERIA}/").status_code == 200


def test_only_trainers_see_the_expert_key_in_the_library(people, client_for) -> None:
    trainee_page = client_for(people.trainee_a).get(f"/training/case/{ALMERIA}/")
    assert b'id="expert-key"' not in trainee_page.content
    trainer_page = client_for(people.trainer_a).get(f"/training/case/{ALMERIA}/")
    assert b'id="expert-key"' in trainer_page.content


def test_other_roles_cannot_practise(people, client_for) -> None:
    client = client_for(people.personas.analyst_a)
    assert client.get(f"/training/case/{ALMERIA}/practise/").status_code == 403
    assert client.get("/training/workshops/").status_code == 403


def test_the_transcript_shows_the_interviewee_language_beside_the_trainee_language(
    people, client_for
) -> None:
    study = file_library()["04-china-forced-marriage-myanmar"]
    page = client_for(people.trainee_a).get(f"/training/case/{study.slug}/").content.decode()
    assert study.transcript[0].text in page  # Burmese
    assert study.transcript[0].translations["es"] in page  # the trainee's language
    assert study.story["es"] in page


def test_a_perfect_attempt_scores_100_and_stores_no_screening(people, client_for) -> None:
    study = file_library()[ALMERIA]
    client = client_for(people.trainee_a)
    feedback_url = run_attempt(
        client, study, dict(study.engine_input["answers"]), list(study.key.next_steps)
    )
    page = client.get(feedback_url)
    assert page.status_code == 200
    attempt = Attempt.objects.get()
    assert attempt.score == 100
    assert attempt.feedback["precision"] == 1.0
    assert attempt.feedback["recall"] == 1.0
    assert attempt.outcome == "trafficking"
    assert Screening.objects.count() == 0
    # Feedback in the trainee's language (Spanish), learning points from the data file.
    assert study.key.learning_points[0]["es"] in page.content.decode()


def test_feedback_names_found_missed_and_wrongly_marked_indicators(people, client_for) -> None:
    study = file_library()[ALMERIA]
    answers = {"DR-1": "yes", "EX-1": "yes", "CD-4": "yes", "URG-3": "yes"}
    client = client_for(people.trainee_a)
    run_attempt(client, study, answers, ["medical_care"])
    feedback = Attempt.objects.get().feedback
    assert feedback["found"] == ["DR-1", "EX-1"]
    assert "CD-2" in feedback["missed"]
    assert feedback["wrong"] == ["CD-4"]
    assert feedback["precision"] == pytest.approx(2 / 3, abs=0.001)
    assert feedback["recall"] == pytest.approx(2 / 12, abs=0.001)
    assert feedback["steps_missed"] == ["refer_identification", "specialised_assistance"]
    assert not feedback["outcome_correct"]


def test_answers_are_saved_live_and_the_result_panel_returned(people, client_for) -> None:
    study = file_library()[ALMERIA]
    client = client_for(people.trainee_a)
    response = client.post(f"/training/case/{study.slug}/practise/", profile_of(study))
    attempt_url = response["Location"]
    page = client.get(attempt_url)
    assert page.status_code == 200
    assert b'id="live-outcome"' in page.content
    response = client.post(
        f"{attempt_url}save/",
        answers_post({"DR-1": "yes", "DR-2": "yes"}, [], finish=False),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b'id="live-outcome"' in response.content
    assert Attempt.objects.get().answers == {"DR-1": "yes", "DR-2": "yes"}


def test_a_bad_answer_is_refused(people, client_for) -> None:
    study = file_library()[ALMERIA]
    client = client_for(people.trainee_a)
    attempt_url = client.post(f"/training/case/{study.slug}/practise/", profile_of(study))[
        "Location"
    ]
    response = client.post(
        f"{attempt_url}save/", {"answer-DR-1": "perhaps"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400


def test_attempts_are_private_to_the_trainee(people, client_for) -> None:
    study = file_library()[ALMERIA]
    feedback_url = run_attempt(client_for(people.trainee_a), study, {}, [])
    for outsider in [people.trainee_b, people.trainer_a, people.personas.caseworker_a]:
        assert client_for(outsider).get(feedback_url).status_code == 404


def test_the_history_lists_the_trainees_own_attempts(people, client_for) -> None:
    study = file_library()[ALMERIA]
    run_attempt(client_for(people.trainee_a), study, {}, [])
    mine = client_for(people.trainee_a).get("/training/").content.decode()
    assert 'id="history"' in mine
    theirs = client_for(people.trainee_b).get("/training/").content.decode()
    assert 'id="history"' not in theirs


def test_profile_mismatches_are_reported(people, client_for) -> None:
    study = file_library()["07-greece-child-begging"]
    client = client_for(people.trainee_a)
    response = client.post(
        f"/training/case/{study.slug}/practise/", {"age": "19", "exploitation": "labour"}
    )
    client.post(
        f"{response['Location']}save/",
        answers_post(dict(study.engine_input["answers"]), [], finish=True),
    )
    attempt = Attempt.objects.get()
    assert attempt.feedback["profile_mismatches"] == ["child"]
    assert not attempt.feedback["flags_correct"]
