"""`haven jobs run [--watch]`: run the queued background jobs (case exports)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from haven.cases.exports import run_queued


class Command(BaseCommand):
    help = "Run queued background jobs; with --watch, keep waiting for new ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["run"])
        parser.add_argument("--watch", action="store_true", help="keep running, poll every 2 s")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            count = run_queued()
            if count:
                self.stdout.write(f"ran {count} job(s)")
            if not options["watch"]:
                break
            time.sleep(2)
