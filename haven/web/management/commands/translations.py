"""`haven translations compile|check`: build the .mo files, or prove the catalogues are
complete and current in all five languages (used by `make test`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.lib.translations import catalogue_problems, compile_catalogues

LOCALE_DIRS = {"en": "en", "zh-hans": "zh_Hans", "es": "es", "el": "el", "nl": "nl"}


class Command(BaseCommand):
    help = "Compile or check the translation catalogues."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["compile", "check"])

    def handle(self, *args: Any, **options: Any) -> None:
        locale_dir = Path(settings.LOCALE_PATHS[0])
        if options["action"] == "compile":
            written = compile_catalogues(locale_dir)
            self.stdout.write(f"compiled {len(written)} catalogue(s)")
            return
        with tempfile.TemporaryDirectory() as tmp:
            extracted = self._extract(Path(tmp))
            problems = catalogue_problems(locale_dir, extracted, LOCALE_DIRS.values())
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} translation problem(s)")
        self.stdout.write("translations complete and current in " + ", ".join(LOCALE_DIRS))

    def _extract(self, tmp: Path) -> Path:
        """Run makemessages on a copy of the package, so the committed files stay untouched."""
        package = Path(settings.PACKAGE_DIR)
        copy = tmp / "haven"
        shutil.copytree(package, copy, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
        for po in (copy / "locale").glob("*/LC_MESSAGES/*.po"):
            po.unlink()
        env = {
            **os.environ,
            "PYTHONPATH": str(tmp),
            "DJANGO_SETTINGS_MODULE": "haven.config.settings",
        }
        command = [sys.executable, "-m", "django", "makemessages", "--no-location", "--no-obsolete"]
        command += [arg for code in LOCALE_DIRS.values() for arg in ("-l", code)]
        result = subprocess.run(  # noqa: S603 (our own interpreter and fixed arguments)
            command, cwd=copy, env=env, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise CommandError("makemessages failed: " + result.stderr.strip().splitlines()[-1])
        return copy / "locale"
