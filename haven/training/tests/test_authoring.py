"""Authoring: trainers write case studies in the browser; the engine checks them before
they are published."""

from __future__ import annotations

import pytest
import yaml

from haven.screening.rules import LANGUAGES
from haven.training.forms import CaseStudyForm
from haven.training.library import CASE_STUDY_DIR
from haven.training.models import AuthoredCaseStudy
from haven.training.registry import get_case_study

pytestmark = pytest.mark.django_db


def _post_data(slug: str, **changes: object) -> dict[str, object]:
    """A complete case study, built from a shipped file through the form's own mapping."""
    raw = yaml.safe_load(
        (CASE_STUDY_DIR / "01-almeria-greenhouses.yaml").read_text(encoding="utf-8")
    )
    raw["id"] = slug
    initial = CaseStudyForm.initial_from(raw)
    initial.update(changes)
    post: dict[str, object] = {}
    for key, value in initial.items():
        if value is None or value is False:
            continue
        post[key] = "on" if value is True else value
    return post


def test_a_trainer_writes_checks_and_publishes_a_case_study(people, client_for) -> None:
    client = client_for(people.trainer_a)
    response = client.post("/training/authoring/new/", _post_data("13-authored-copy"))
    assert response.status_code == 302, response.content.decode()[:3000]
    record = AuthoredCaseStudy.objects.get()
    assert record.status == AuthoredCaseStudy.Status.DRAFT
    assert set(record.data["story"]) == set(LANGUAGES)
    assert get_case_study("13-authored-copy") is None  # drafts are not in the library

    response = client.post(f"/training/authoring/{record.pk}/publish/", follow=True)
    record.refresh_from_db()
    assert record.status == AuthoredCaseStudy.Status.PUBLISHED, response.content.decode()[:2000]
    study = get_case_study("13-authored-copy")
    assert study is not None and study.key.outcome == "trafficking"
    assert client_for(people.trainee_a).get("/training/case/13-authored-copy/").status_code == 200


def test_publishing_is_refused_when_the_engine_disagrees(people, client_for) -> None:
    client = client_for(people.trainer_a)
    client.post(
        "/training/authoring/new/",
        _post_data("13-wrong-key", outcome="possible_trafficking"),
    )
    record = AuthoredCaseStudy.objects.get()
    response = client.post(f"/training/authoring/{record.pk}/publish/", follow=True)
    record.refresh_from_db()
    assert record.status == AuthoredCaseStudy.Status.DRAFT
    page = response.content.decode()
    assert "Publishing refused" in page
    assert "trafficking" in page


def test_publishing_is_refused_while_a_translation_is_missing(people, client_for) -> None:
    client = client_for(people.trainer_a)
    client.post("/training/authoring/new/", _post_data("13-untranslated", story_el=""))
    record = AuthoredCaseStudy.objects.get()
    response = client.post(f"/training/authoring/{record.pk}/publish/", follow=True)
    record.refresh_from_db()
    assert record.status == AuthoredCaseStudy.Status.DRAFT
    assert "story.el" in response.content.decode()


def test_a_shipped_identifier_cannot_be_reused(people, client_for) -> None:
    client = client_for(people.trainer_a)
    response = client.post("/training/authoring/new/", _post_data("01-almeria-greenhouses"))
    assert response.status_code == 200
    assert AuthoredCaseStudy.objects.count() == 0


def test_only_trainers_of_the_organisation_author(people, client_for) -> None:
    assert client_for(people.trainer_a).get("/training/authoring/new/").status_code == 200
    assert client_for(people.trainee_a).get("/training/authoring/").status_code == 403
    client_for(people.trainer_a).post("/training/authoring/new/", _post_data("13-org-a"))
    record = AuthoredCaseStudy.objects.get()
    assert client_for(people.trainer_b).get(f"/training/authoring/{record.pk}/").status_code == 404
