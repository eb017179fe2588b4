"""Create or refresh the demo world, idempotently: running it twice leaves one of each."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from haven.accounts.demo_world import DEMO_ORGANISATIONS, demo_username
from haven.accounts.models import Organisation, RoleGrant, User
from haven.accounts.roles import Role
from haven.directory.models import FocalPoint


@dataclass(frozen=True)
class DemoLogin:
    username: str
    organisation: str
    role: str


@transaction.atomic
def seed_demo_world(password: str) -> list[DemoLogin]:
    # One Argon2 hash for all demo users: hashing is deliberately slow, and they share the
    # password anyway (the demo says so).
    password_hash = make_password(password)
    logins: list[DemoLogin] = []
    for spec in DEMO_ORGANISATIONS:
        org, _created = Organisation.objects.update_or_create(
            name=spec.name,
            defaults={
                "country": spec.country,
                "city": spec.city,
                "kind": spec.kind,
                "languages": list(spec.languages),
                # The demo and its scripts sign in with a password alone; real organisations
                # keep the default (two-factor sign-in on).
                "two_factor_required": False,
            },
        )
        name, title, channel, contact = spec.focal_point
        FocalPoint.objects.update_or_create(
            organisation=org,
            name=name,
            defaults={
                "role_title": title,
                "channel": channel,
                "contact": contact,
                "languages": list(spec.languages),
            },
        )
        for role in spec.roles:
            username = demo_username(spec, role)
            is_admin = role is Role.SYSTEM_ADMIN
            user, _created = User.objects.update_or_create(
                username=username,
                defaults={
                    "organisation": org,
                    "language": spec.interface_language,
                    "time_zone": spec.time_zone,
                    "is_staff": is_admin,
                    "is_superuser": is_admin,
                    "is_active": True,
                    "password": password_hash,
                },
            )
            RoleGrant.objects.get_or_create(user=user, role=role)
            logins.append(DemoLogin(username, org.name, str(role.label)))
    return logins
