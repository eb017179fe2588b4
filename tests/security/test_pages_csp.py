"""Every page any persona can open: no inline script, no event-handler attribute, and the
security headers on every response."""

import re
from html.parser import HTMLParser

import pytest

from tests.security.crawl import PERSONA_NAMES, clients, concrete_url, url_patterns
from tests.security.world import build_world

pytestmark = pytest.mark.django_db


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        names = {name.lower(): value for name, value in attrs}
        handlers = [name for name in names if name.startswith("on")]
        if handlers:
            self.problems.append(f"<{tag}> with {handlers}")
        if tag == "script" and not names.get("src"):
            self._in_inline_script = True
            self.problems.append("<script> without src")
        for name in ("href", "src", "action", "formaction"):
            if (names.get(name) or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:>")
        if tag == "style" or "style" in names:
            # style-src has no 'unsafe-inline' either
            self.problems.append(f"inline style on <{tag}>")


def check_html(body: str) -> list[str]:
    checker = _Checker()
    checker.feed(body)
    return checker.problems


def test_the_checker_finds_what_it_looks_for():
    assert check_html("<script>alert(1)</script>")
    assert check_html('<a href="#" onclick="x()">x</a>')
    assert check_html('<a href="javascript:x()">x</a>')
    assert check_html('<p style="color:red">x</p>')
    assert not check_html('<script src="/static/web/haven.js" defer></script><p>ok</p>')


def test_no_page_has_inline_script_or_handlers(personas):
    world = build_world(personas)
    made = clients(personas)
    seen_pages = 0
    problems: list[str] = []
    for route in url_patterns():
        url = concrete_url(route, world)
        for persona in PERSONA_NAMES:
            response = made[persona].get(url)
            csp = response.get("Content-Security-Policy", "")
            if (
                "script-src" in csp
                and "'unsafe-inline'" in csp.split("script-src")[1].split(";")[0]
            ):
                problems.append(f"{route}: CSP allows inline script")
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            if response.status_code != 200:
                continue
            seen_pages += 1
            if not csp:
                problems.append(f"{route} as {persona}: no Content-Security-Policy")
            if response.get("X-Frame-Options") != "DENY":
                problems.append(f"{route} as {persona}: frames not denied")
            if response.get("Referrer-Policy") != "same-origin":
                problems.append(f"{route} as {persona}: referrer policy")
            if response.get("X-Content-Type-Options") != "nosniff":
                problems.append(f"{route} as {persona}: nosniff missing")
            for problem in check_html(response.content.decode()):
                problems.append(f"{route} as {persona}: {problem}")
    assert seen_pages > 50
    assert not problems, "\n".join(sorted(set(problems)))


def test_error_pages_do_not_echo_input(client_for, personas):
    probe = "Ilsabeth-Vostrikovna-probe"
    for client in (client_for(personas.caseworker_a),):
        response = client.get(f"/cases/{probe}/")
        assert response.status_code == 404
        assert probe not in response.content.decode()
        response = client.get(f"/no-such-page/{probe}/")
        assert probe not in response.content.decode()
    assert re.search(r"ok", "ok")
