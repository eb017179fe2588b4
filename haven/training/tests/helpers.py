from __future__ import annotations

from django.test import Client

from haven.screening.interview import all_item_ids
from haven.training.library import CaseStudy


def profile_of(study: CaseStudy) -> dict[str, object]:
    engine = study.engine_input
    data: dict[str, object] = {"exploitation": engine["exploitation"]}
    if engine["age"] is not None:
        data["age"] = engine["age"]
    if engine["may_be_child"]:
        data["may_be_child"] = "on"
    if engine["met_in_custody"]:
        data["met_in_custody"] = "on"
    return data


def answers_post(answers: dict[str, str], steps: list[str], *, finish: bool) -> dict[str, object]:
    data: dict[str, object] = {
        f"answer-{item}": answers.get(item, "unknown") for item in all_item_ids()
    }
    data["next_step"] = steps
    if finish:
        data["finish"] = "1"
    return data


def run_attempt(
    client: Client,
    study: CaseStudy,
    answers: dict[str, str],
    steps: list[str],
    *,
    workshop: int | None = None,
) -> str:
    """Start, answer and finish an attempt; return its feedback URL."""
    url = f"/training/case/{study.slug}/practise/"
    data = profile_of(study)
    if workshop is not None:
        data["workshop"] = str(workshop)
    response = client.post(url, data)
    assert response.status_code == 302, response.content
    attempt_url = response["Location"]
    response = client.post(
        f"{attempt_url}save/", answers_post(answers, steps, finish=True), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204
    return response["HX-Redirect"]
