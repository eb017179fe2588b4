import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db


def _post(client, body, lang="en"):
    raw = body if isinstance(body, str) else json.dumps(body)
    return client.post(
        f"/api/v1/screening/assess?lang={lang}", raw, content_type="application/json"
    )


def test_assess_in_another_language(client_for, personas):
    client = client_for(personas.caseworker_a)
    body = {"age": 24, "exploitation": "labour", "answers": {"DR-1": "yes", "EX-1": "unknown"}}
    english = _post(client, body).json()
    chinese = _post(client, body, lang="zh-hans").json()
    assert english["outcome"] == chinese["outcome"]
    assert english["explanation"] != chinese["explanation"]
    assert english["catalogue_version"] and english["engine_version"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"age": 24, "exploitation": "labour", "answers": {"DR-99": "yes"}}, "answers.DR-99"),
        ({"age": 24, "exploitation": "labour", "answers": {"DR-1": "maybe"}}, "answers.DR-1"),
        ({"age": -1, "exploitation": "labour"}, "age"),
        ({"age": 24, "exploitation": "fishing"}, "exploitation"),
        ("{not json", "body"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client_for, personas, body, field):
    response = _post(client_for(personas.caseworker_a), body)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_assess_needs_authentication(client):
    response = _post(client, {"age": 24, "exploitation": "labour"})
    assert response.status_code == 401


def test_catalogue_in_the_requested_language(client_for, personas):
    client = client_for(personas.caseworker_a)
    body = client.get("/api/v1/screening/catalogue", {"lang": "es", "interviewee_lang": "my"})
    assert body.status_code == 200
    data = body.json()
    assert data["lang"] == "es"
    ids = {i["id"] for i in data["indicators"]}
    assert {"DR-1", "CR-10", "RV-16", "EX-9", "CD-15", "VD-7", "ACT-5"} <= ids
    bad = client.get("/api/v1/screening/catalogue", {"lang": "xx"})
    assert bad.status_code == 400 and "lang" in bad.json()["error"]["fields"]


def _cli(stdin, *args):
    return subprocess.run(
        [sys.executable, "-m", "haven.cli", "screen", "assess", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_reads_stdin():
    result = _cli(json.dumps({"age": None, "may_be_child": True, "exploitation": "sexual"}), "-")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["profile"] == "child_sexual"


@pytest.mark.parametrize(
    ("stdin", "expected"),
    [
        ('{"age": 24, "exploitation": "labour", "answers": {"XX-1": "yes"}}', "answers.XX-1"),
        ('{"age": 24, "exploitation": "labour", "answers": {"DR-1": "perhaps"}}', "answers.DR-1"),
        ('{"age": -5, "exploitation": "labour"}', "age"),
        ("{oops", "malformed JSON"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(stdin, expected):
    result = _cli(stdin, "-")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0]
