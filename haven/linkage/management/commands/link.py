"""`haven link encode|match|dedupe ...`: the haven_link command line, behind `haven`."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from haven_link.cli import main as link_main


class Command(BaseCommand):
    help = "Privacy-preserving record linkage: encode, match, dedupe (see haven_link/README.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs="*")

    def run_from_argv(self, argv: list[str]) -> None:
        # The library parses its own arguments, so that `haven link --help` shows its usage.
        sys.exit(link_main(argv[2:]))

    def handle(self, *args: Any, **options: Any) -> None:
        code = link_main(list(args))
        if code:
            sys.exit(code)
