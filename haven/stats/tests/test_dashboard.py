import pytest
from django.urls import reverse

from haven.cases import services
from haven.cases.services import CaseInput, PersonInput, RouteInput

pytestmark = pytest.mark.django_db


def _case(
    actor, *, sex="feminine", age=24, origin="VN", destination="CN", kinds=("forced_labour",)
):
    return services.create_case(
        CaseInput(
            person=PersonInput(
                family_name="Quachbinh", given_name="Lanhuong", sex=sex, estimated_age=age
            ),
            first_contact="outreach",
            exploitation_types=list(kinds),
            route=[RouteInput("origin", origin), RouteInput("destination", destination)],
        ),
        actor=actor,
    )


@pytest.fixture
def cases(personas):
    made = [
        _case(personas.caseworker_a),
        _case(personas.caseworker_a, sex="masculine", age=16, kinds=("forced_criminality",)),
        _case(personas.caseworker_a, origin="MM", destination="CN", kinds=("forced_marriage",)),
    ]
    services.start_screening(made[0], actor=personas.caseworker_a)
    services.refer_for_identification(made[0], actor=personas.caseworker_a)
    services.record_decision(
        made[0],
        actor=personas.supervisor_a,
        kind="reasonable_grounds",
        outcome="positive",
        reasons="Indicators of deception and debt bondage.",
    )
    _case(personas.caseworker_b, origin="CN", destination="ES")
    return made


def _page(client):
    response = client.get(reverse("stats:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_an_analyst_sees_aggregates_of_their_organisation(client_for, personas, cases):
    html = _page(client_for(personas.analyst_a))
    assert "3 cases in this selection." in html
    assert "Quachbinh" not in html and "Lanhuong" not in html  # aggregates only, never a name
    assert "Forced marriage" in html
    assert "Vietnam" in html and "Myanmar" in html
    origin_table = (
        html.split('id="chart-origins-map"')[1].split("<details>")[1].split("</details>")[0]
    )
    assert "<td>Vietnam</td><td>2</td>" in origin_table
    # Organisation B's case (from China) is outside an analyst of A's scope.
    assert "China" not in origin_table


def test_response_indicators(client_for, personas, cases):
    html = _page(client_for(personas.supervisor_a))
    figures = html.split('id="response-heading"')[1].split("</section>")[0]
    assert "<dd>1</dd>" in figures  # one reasonable-grounds decision
    assert "100 %" in figures  # taken within the 5 working days target


def test_filters_narrow_the_selection(client_for, personas, cases):
    client = client_for(personas.analyst_a)
    html = client.get(reverse("stats:dashboard"), {"year_from": "2000", "year_to": "2001"})
    assert "0 cases in this selection." in html.content.decode()
    bad = client.get(reverse("stats:dashboard"), {"year_from": "2030", "year_to": "2020"})
    assert "errorlist" in bad.content.decode()


def test_case_workers_and_trainees_cannot_see_statistics(client_for, personas):
    assert client_for(personas.caseworker_a).get(reverse("stats:dashboard")).status_code == 403
    assert client_for(personas.screener_a).get(reverse("stats:dashboard")).status_code == 403


def test_the_dashboard_runs_a_fixed_number_of_queries(
    client_for, personas, cases, django_assert_max_num_queries
):
    client = client_for(personas.analyst_a)
    _page(client)  # warm caches (catalogue, session)
    with django_assert_max_num_queries(30) as captured:
        _page(client)
    first = len(captured.captured_queries)
    for _ in range(5):
        _case(personas.caseworker_a, origin="KH", destination="CN")
    with django_assert_max_num_queries(first):
        _page(client)


def test_the_map_and_every_chart_have_a_table_view(client_for, personas, cases):
    html = _page(client_for(personas.analyst_a))
    assert html.count("<details>") == html.count('class="chart"')
    assert '<svg class="world-map"' in html
    assert "<script>" not in html and 'style="' not in html


def test_the_five_day_target_skips_the_countrys_public_holidays(personas, cases):
    import datetime

    from haven.cases.models import Case, Decision, TimelineEntry
    from haven.stats.aggregates import response_indicators

    referred = cases[0]
    # Referred on Thursday 24 December 2026 in Spain, decided on Monday 4 January 2027:
    # 25 December and 1 January are holidays, so that is the fifth working day (on a
    # plain Monday-to-Friday count it would be the sixth, and late).
    entry = TimelineEntry.objects.get(
        case=referred, event="stage_changed", params__transition="refer_for_identification"
    )
    entry.at = datetime.datetime(2026, 12, 24, 10, tzinfo=datetime.UTC)
    entry.save(update_fields=["at"])
    Decision.objects.filter(case=referred).update(decided_on=datetime.date(2027, 1, 4))
    figures = response_indicators(Case.objects.filter(pk=referred.pk))
    assert figures.rg_within_target_share == 1.0
    Decision.objects.filter(case=referred).update(decided_on=datetime.date(2027, 1, 5))
    late = response_indicators(Case.objects.filter(pk=referred.pk))
    assert late.rg_within_target_share == 0.0
