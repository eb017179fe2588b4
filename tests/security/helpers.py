"""Small helpers shared by the security tests."""

from __future__ import annotations

import time

from django.test import Client
from django.urls import reverse

from haven.accounts.models import User
from haven.security import two_factor
from haven.security.models import TwoFactorDevice
from haven.testing.personas import PASSWORD


def enrol(user: User) -> TwoFactorDevice:
    """A confirmed authenticator, as if the user had set one up."""
    device = two_factor.start_enrolment(user)
    device.confirmed_at = device.created_at
    device.save(update_fields=["confirmed_at"])
    return device


def current_code(device: TwoFactorDevice, offset_steps: int = 0) -> str:
    return two_factor.code_at(device.secret, time.time() + offset_steps * two_factor.STEP)


def password_step(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def sign_in_with_code(client: Client, user: User, device: TwoFactorDevice) -> None:
    response = password_step(client, user.username)
    assert response.status_code == 302 and response.url == reverse("accounts:two_factor")
    response = client.post(reverse("accounts:two_factor"), {"code": current_code(device)})
    assert response.status_code == 302, response.content.decode()[:500]
