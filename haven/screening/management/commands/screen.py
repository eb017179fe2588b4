"""`haven screen assess [FILE|-] [--lang CODE]`: score a screening from JSON, print JSON.

Bad input exits with status 2 and one line naming the problem, and prints no result.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from haven.screening.rules import LANGUAGES, InputError, assess_request, parse_request


class Command(BaseCommand):
    help = "Screening tools. 'assess' scores answers read from a JSON file or standard input."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["assess"])
        parser.add_argument("file", nargs="?", default="-", help="JSON file, or - for stdin")
        parser.add_argument("--lang", default="en", help="language of the explanation")

    def _fail(self, message: str) -> None:
        sys.stderr.write(f"haven screen: {message}\n")
        sys.exit(2)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["lang"] not in LANGUAGES:
            self._fail(f"--lang must be one of {', '.join(LANGUAGES)}")
        source = options["file"]
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self._fail(f"cannot read {source}: {getattr(exc, 'strerror', None) or exc}")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            self._fail(f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
        try:
            request = parse_request(data)
        except InputError as exc:
            self._fail(f"{exc.field}: {exc.message}")
        result = assess_request(request, lang=options["lang"]).to_dict()
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
