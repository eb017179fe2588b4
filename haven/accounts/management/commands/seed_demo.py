"""`haven seed-demo [--password P]`: the demo world, created or refreshed idempotently."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.accounts.demo_seed import seed_demo_world
from haven.cases.demo_seed import seed_demo_cases
from haven.referrals.demo_seed import seed_demo_transfers
from haven.stats.demo_seed import seed_demo_activity


class Command(BaseCommand):
    help = "Create the demo organisations, users and focal points, and print the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", help="password for every demo user (default: random)")

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or secrets.token_urlsafe(12)
        if len(password) < 8:
            raise CommandError("the demo password must be at least 8 characters long")
        logins = seed_demo_world(password)
        cases = seed_demo_cases()
        screenings = seed_demo_activity()
        transfers = seed_demo_transfers()
        width = max(len(login.username) for login in logins)
        self.stdout.write("Demo logins (every user has the same password):")
        for login in logins:
            self.stdout.write(f"  {login.username:<{width}}  {login.role} — {login.organisation}")
        self.stdout.write(
            f"Demo cases created: {cases}; demo screenings created: {screenings}; "
            f"transfer packages imported: {transfers}"
        )
        self.stdout.write(f"Password: {password}")
