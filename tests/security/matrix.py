"""The permission matrix: what every persona gets from every route and API operation.

Keys are routes as Django writes them (pages) and "METHOD /path" (API operations, from the
OpenAPI schema). E(default, persona=status, ...) gives the status for each persona: the
default for all but those named. A page is fetched with GET; an API operation with its own
method (POST with an empty JSON body, so a write that passes the permission check fails
validation with 400 and changes nothing).

The world: case at organisation A (created by caseworker_a, reasonable grounds decided by
supervisor_a, a consent and a service), a referral of it to organisation B (not yet accepted),
a screening by screener_a, an export job of caseworker_a. Routes of linkage, stats releases and
training whose objects tests/security/world.py does not build yet are fetched with an id that
names nothing: their rows record the refusal or the "not found" (404) each persona gets, and
should be sharpened by building those objects in world.py.

Adding a URL or an API operation without a row here fails test_permission_matrix.py. To draft
rows, run `HAVEN_MATRIX_OBSERVE=1 .venv/bin/pytest -q -s tests/security/matrix_observe.py`,
then read each row against the policy before pasting it: the table is the reviewed truth.
"""

from __future__ import annotations

from tests.security.crawl import ANONYMOUS, PERSONA_NAMES


def E(default: int, **overrides: int) -> dict[str, int]:  # noqa: N802  (reads like a table)
    unknown = set(overrides) - set(PERSONA_NAMES)
    assert not unknown, f"unknown persona(s) {unknown}"
    return {name: overrides.get(name, default) for name in PERSONA_NAMES}


# Personas allowed to see the world's person in clear: personal-data roles of the owning
# organisation. Everyone else must never find a seeded value in any response.
SEES_THE_PERSON = frozenset({"caseworker_a", "supervisor_a", "investigator_a"})
NEVER_SEE_PERSONAL_DATA = frozenset({ANONYMOUS, "analyst_a", "admin"})

PAGES: dict[str, dict[str, int]] = {
    "": E(200, anonymous=302),
    "accounts/language/": E(405),
    "accounts/login/": E(302, anonymous=200),
    "accounts/logout/": E(405),
    "accounts/password/": E(200, anonymous=302),
    "accounts/preferences/": E(200, anonymous=302),
    "accounts/sign-out-everywhere/": E(200, anonymous=302),
    "accounts/two-factor/": E(302),
    "accounts/two-factor/enrol/": E(302),
    "accounts/two-factor/recovery-codes/": E(200, anonymous=302),
    "admin/": E(302, admin=200),
    "admin/(?P<url>.*)$": E(302, admin=404),
    "admin/^(?P<app_label>auth|accounts|directory)/$": E(302, admin=200),
    "admin/accounts/organisation/": E(302, admin=200),
    "admin/accounts/organisation/<path:object_id>/": E(302),
    "admin/accounts/organisation/<path:object_id>/change/": E(302, admin=200),
    "admin/accounts/organisation/<path:object_id>/delete/": E(302, admin=200),
    "admin/accounts/organisation/<path:object_id>/history/": E(302, admin=200),
    "admin/accounts/organisation/add/": E(302, admin=200),
    "admin/accounts/user/": E(302, admin=200),
    "admin/accounts/user/<id>/password/": E(302, admin=200),
    "admin/accounts/user/<path:object_id>/": E(302),
    "admin/accounts/user/<path:object_id>/change/": E(302, admin=200),
    "admin/accounts/user/<path:object_id>/delete/": E(302, admin=200),
    "admin/accounts/user/<path:object_id>/history/": E(302, admin=200),
    "admin/accounts/user/add/": E(302, admin=200),
    "admin/auth/group/": E(302, admin=200),
    "admin/auth/group/<path:object_id>/": E(302),
    "admin/auth/group/<path:object_id>/change/": E(302),
    "admin/auth/group/<path:object_id>/delete/": E(302),
    "admin/auth/group/<path:object_id>/history/": E(302),
    "admin/auth/group/add/": E(302, admin=200),
    "admin/autocomplete/": E(302, admin=403),
    "admin/directory/focalpoint/": E(302, admin=200),
    "admin/directory/focalpoint/<path:object_id>/": E(302),
    "admin/directory/focalpoint/<path:object_id>/change/": E(302),
    "admin/directory/focalpoint/<path:object_id>/delete/": E(302),
    "admin/directory/focalpoint/<path:object_id>/history/": E(302),
    "admin/directory/focalpoint/add/": E(302, admin=200),
    "admin/jsi18n/": E(302, admin=200),
    "admin/login/": E(200, anonymous=302, admin=302),
    "admin/logout/": E(302, admin=405),
    "admin/password_change/": E(302, admin=200),
    "admin/password_change/done/": E(302, admin=200),
    "admin/r/<path:content_type_id>/<path:object_id>/": E(302, admin=404),
    "api/v1/": E(404),
    "api/v1/auth/token": E(405),
    "api/v1/cases": E(200, anonymous=401, analyst_a=403, admin=403),
    "api/v1/cases/<reference>": E(
        404, anonymous=401, caseworker_a=200, supervisor_a=200, investigator_a=200
    ),
    "api/v1/cases/<reference>/consents": E(405),
    "api/v1/cases/<reference>/consents/<consent_id>/withdraw": E(405),
    "api/v1/cases/<reference>/decisions": E(405),
    "api/v1/cases/<reference>/needs": E(405),
    "api/v1/cases/<reference>/referrals": E(405),
    "api/v1/cases/<reference>/services": E(405),
    "api/v1/cases/<reference>/transfer": E(405),
    "api/v1/cases/<reference>/transitions": E(405),
    "api/v1/directory/focal-points": E(200, anonymous=401),
    "api/v1/me": E(200, anonymous=401),
    "api/v1/openapi.json": E(200),
    "api/v1/referrals": E(200, anonymous=401),
    "api/v1/referrals/<referral_id>/accept": E(405),
    "api/v1/referrals/<referral_id>/decline": E(405),
    "api/v1/screening/assess": E(405),
    "api/v1/screening/catalogue": E(200, anonymous=401),
    "api/v1/transfers/import": E(405),
    "audit/<path:object_ref>/": E(403, anonymous=302, supervisor_a=200),
    "cases/": E(200, anonymous=302, analyst_a=403, admin=403),
    "cases/<str:reference>/": E(
        404, anonymous=302, caseworker_a=200, supervisor_a=200, investigator_a=200
    ),
    "cases/<str:reference>/assign/": E(405, anonymous=302),
    "cases/<str:reference>/close/": E(405, anonymous=302),
    "cases/<str:reference>/consents/": E(405, anonymous=302),
    "cases/<str:reference>/consents/<int:consent_id>/withdraw/": E(405, anonymous=302),
    "cases/<str:reference>/decide/": E(
        404, anonymous=302, caseworker_a=403, supervisor_a=200, investigator_a=403
    ),
    "cases/<str:reference>/do/<slug:action>/": E(405, anonymous=302),
    "cases/<str:reference>/durable-solution/": E(405, anonymous=302),
    "cases/<str:reference>/edit/": E(
        404, anonymous=302, caseworker_a=200, supervisor_a=403, investigator_a=403
    ),
    "cases/<str:reference>/needs/": E(405, anonymous=302),
    "cases/<str:reference>/notes/": E(405, anonymous=302),
    "cases/<str:reference>/print/": E(
        404, anonymous=302, caseworker_a=200, supervisor_a=200, investigator_a=200
    ),
    "cases/<str:reference>/reopen/": E(405, anonymous=302),
    "cases/<str:reference>/services/": E(405, anonymous=302),
    "cases/<str:reference>/services/<int:service_id>/": E(405, anonymous=302),
    "cases/deadlines/": E(200, anonymous=302, analyst_a=403, admin=403),
    "cases/decisions/": E(403, anonymous=302, supervisor_a=200),
    "cases/export/": E(200, anonymous=302, analyst_a=403, admin=403),
    "cases/export/<int:job_id>/": E(404, anonymous=302, caseworker_a=200),
    "cases/export/<int:job_id>/download/": E(404, anonymous=302),
    "cases/new/": E(403, anonymous=302, caseworker_a=200, caseworker_b=200, screener_a=200),
    "cases/notifications/": E(200, anonymous=302),
    "directory/": E(200, anonymous=302),
    "linkage/": E(200, anonymous=302, screener_a=403, analyst_a=403, admin=403),
    "linkage/agreements/": E(405, anonymous=302),
    "linkage/agreements/<int:agreement_id>/jobs/": E(405, anonymous=302),
    "linkage/ask/": E(405, anonymous=302),
    "linkage/jobs/<int:job_id>/": E(404, anonymous=302, screener_a=403, analyst_a=403, admin=403),
    "linkage/matches/<int:match_id>/confirm/": E(405, anonymous=302),
    "referrals/": E(200, anonymous=302, analyst_a=403, admin=403),
    "referrals/<int:referral_id>/": E(200, anonymous=302, screener_a=404, analyst_a=404, admin=404),
    "referrals/<int:referral_id>/accept/": E(405, anonymous=302),
    "referrals/<int:referral_id>/decline/": E(405, anonymous=302),
    "referrals/<int:referral_id>/print/": E(
        404, anonymous=302, caseworker_a=200, supervisor_a=200, investigator_a=200
    ),
    "referrals/case/<str:reference>/new/": E(
        404, anonymous=302, caseworker_a=200, supervisor_a=403, investigator_a=403
    ),
    "referrals/case/<str:reference>/transfer/": E(
        404, anonymous=302, caseworker_a=200, supervisor_a=403, investigator_a=403
    ),
    "referrals/keys/": E(403, anonymous=302),
    "referrals/keys/card/": E(403, anonymous=302),
    "referrals/keys/register/": E(403, anonymous=302),
    "referrals/transfers/import/": E(403, anonymous=302, caseworker_a=200, caseworker_b=200),
    "screening/": E(200, anonymous=302, analyst_a=403, admin=403),
    "screening/<uuid:screening_id>/": E(
        302, caseworker_b=404, screener_a=200, analyst_a=404, admin=404
    ),
    "screening/<uuid:screening_id>/refer/": E(405, anonymous=302),
    "screening/<uuid:screening_id>/result/": E(
        200, anonymous=302, caseworker_b=404, analyst_a=404, admin=404
    ),
    "screening/<uuid:screening_id>/save/": E(405, anonymous=302),
    "screening/start/": E(200, anonymous=302, analyst_a=403, admin=403),
    "stats/": E(403, anonymous=302, supervisor_a=200, analyst_a=200),
    # Organisation admins and supervisors of the dataset's organisation (no persona here is an
    # organisation admin); the budget page names no id: it is always the user's own dataset.
    "stats/budget/": E(403, anonymous=302, supervisor_a=200),
    "stats/htcds/": E(403, anonymous=302, supervisor_a=200, analyst_a=200),
    "stats/k-anonymised/": E(403, anonymous=302, supervisor_a=200, analyst_a=200),
    "stats/releases/": E(403, anonymous=302, supervisor_a=200, analyst_a=200),
    "stats/releases/<int:release_id>/": E(403, anonymous=302, supervisor_a=404, analyst_a=404),
    "stats/releases/<int:release_id>/decide/": E(405, anonymous=302),
    "stats/releases/<int:release_id>/download/<str:kind>/": E(
        403, anonymous=302, supervisor_a=404, analyst_a=404
    ),
    "training/": E(200, anonymous=302),
    "training/attempt/<uuid:attempt_id>/": E(404),
    "training/attempt/<uuid:attempt_id>/feedback/": E(404),
    "training/attempt/<uuid:attempt_id>/save/": E(404),
    "training/authoring/": E(403, anonymous=302),
    "training/authoring/<int:pk>/": E(403, anonymous=302),
    "training/authoring/<int:pk>/publish/": E(405, anonymous=302),
    "training/authoring/<int:pk>/yaml/": E(404, anonymous=302),
    "training/authoring/new/": E(403, anonymous=302),
    "training/case/<slug:slug>/": E(404, anonymous=302),
    "training/case/<slug:slug>/practise/": E(403, anonymous=302),
    "training/workshops/": E(403, anonymous=302),
    "training/workshops/<int:pk>/": E(404, anonymous=302),
    "training/workshops/<int:pk>/edit/": E(403, anonymous=302),
    "training/workshops/<int:pk>/export/<str:kind>.csv": E(404, anonymous=302),
    "training/workshops/<int:pk>/progress/": E(404, anonymous=302),
    "training/workshops/new/": E(403, anonymous=302),
}
API: dict[str, dict[str, int]] = {
    "GET /api/v1/cases": E(200, anonymous=401, analyst_a=403, admin=403),
    "GET /api/v1/cases/{reference}": E(
        404, anonymous=401, caseworker_a=200, supervisor_a=200, investigator_a=200
    ),
    "GET /api/v1/directory/focal-points": E(200, anonymous=401),
    "GET /api/v1/me": E(200, anonymous=401),
    "GET /api/v1/referrals": E(200, anonymous=401),
    "GET /api/v1/screening/catalogue": E(200, anonymous=401),
    "POST /api/v1/auth/token": E(400),
    "POST /api/v1/cases": E(400, anonymous=401),
    "POST /api/v1/cases/{reference}/consents": E(400, anonymous=401),
    "POST /api/v1/cases/{reference}/consents/{consent_id}/withdraw": E(
        404, anonymous=401, caseworker_a=200, supervisor_a=403, investigator_a=403
    ),
    "POST /api/v1/cases/{reference}/decisions": E(400, anonymous=401),
    "POST /api/v1/cases/{reference}/needs": E(400, anonymous=401),
    "POST /api/v1/cases/{reference}/referrals": E(400, anonymous=401),
    "POST /api/v1/cases/{reference}/services": E(400, anonymous=401),
    "POST /api/v1/cases/{reference}/transfer": E(400, anonymous=401),
    "POST /api/v1/cases/{reference}/transitions": E(400, anonymous=401),
    "POST /api/v1/referrals/{referral_id}/accept": E(
        403, anonymous=401, screener_a=404, analyst_a=404, admin=404
    ),
    "POST /api/v1/referrals/{referral_id}/decline": E(
        403, anonymous=401, caseworker_b=400, screener_a=404, analyst_a=404, admin=404
    ),
    "POST /api/v1/screening/assess": E(400, anonymous=401),
    "POST /api/v1/transfers/import": E(403, anonymous=401, caseworker_a=409, caseworker_b=409),
}
