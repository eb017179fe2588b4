import pytest
from django.urls import reverse

from haven.directory.models import FocalPoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def focal_points(personas):
    madrid = FocalPoint.objects.create(
        organisation=personas.org_a,
        name="Marta",
        role_title="Coordinator",
        languages=["es", "en"],
        channel=FocalPoint.Channel.SIGNAL,
        contact="+34 600",
    )
    nanjing = FocalPoint.objects.create(
        organisation=personas.org_b,
        name="Wang",
        role_title="Liaison",
        languages=["zh"],
        channel=FocalPoint.Channel.DIPLOMATIC,
        contact="liaison@x.invalid",
    )
    return madrid, nanjing


def _names(response):
    return [fp.name for fp in response.context["page"].object_list]


def test_every_signed_in_user_sees_all_organisations(client_for, personas, focal_points):
    response = client_for(personas.caseworker_b).get(reverse("directory:search"))
    assert _names(response) == ["Wang", "Marta"]  # China before Spain by country code


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"country": "ES"}, ["Marta"]),
        ({"kind": "police"}, ["Wang"]),
        ({"language": "zh"}, ["Wang"]),
        ({"language": "en", "country": "ES"}, ["Marta"]),
        ({"language": "en", "country": "CN"}, []),
        ({"text": "organisation b"}, ["Wang"]),
    ],
)
def test_search_filters(client_for, personas, focal_points, query, expected):
    response = client_for(personas.analyst_a).get(reverse("directory:search"), query)
    assert _names(response) == expected


def test_an_invalid_filter_is_reported_not_ignored_silently(client_for, personas, focal_points):
    response = client_for(personas.analyst_a).get(reverse("directory:search"), {"kind": "pirates"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_htmx_requests_get_only_the_results(client_for, personas, focal_points):
    response = client_for(personas.analyst_a).get(
        reverse("directory:search"), {"country": "CN"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Wang" in html
