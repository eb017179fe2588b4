"""`haven stats export-htcds` and `haven stats import-htcds`: the data standard in and out.

Import validates every row first; a file with a rejected row imports nothing (each rejection
is printed with its row number and reason) unless --skip-bad-rows is given. Exit status 2 on
bad input."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from haven.accounts.models import Organisation
from haven.stats.htcds import HtcdsError
from haven.stats.htcds_io import export_bytes, import_rows, read_file


class Command(BaseCommand):
    help = "Statistics tools: export-htcds, import-htcds."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export-htcds", help="write the organisation's records as HTCDS")
        export.add_argument("--organisation", type=int, required=True, help="organisation id")
        export.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        export.add_argument("-o", "--output", required=True)
        imp = sub.add_parser("import-htcds", help="import HTCDS records into an organisation")
        imp.add_argument("file")
        imp.add_argument("--organisation", type=int, required=True, help="organisation id")
        imp.add_argument("--skip-bad-rows", action="store_true")

    def _fail(self, message: str) -> None:
        sys.stderr.write(f"haven stats: {message}\n")
        sys.exit(2)

    def _organisation(self, pk: int) -> Organisation:
        org = Organisation.objects.filter(pk=pk).first()
        if org is None:
            self._fail(f"no organisation with id {pk}")
        assert org is not None
        return org

    def handle(self, *args: Any, **options: Any) -> None:
        org = self._organisation(options["organisation"])
        if options["action"] == "export-htcds":
            data, count = export_bytes(Organisation.objects.filter(pk=org.pk), options["format"])
            Path(options["output"]).write_bytes(data)
            self.stdout.write(f"exported {count} records to {options['output']}")
            return
        path = Path(options["file"])
        if not path.is_file():
            self._fail(f"cannot read {path}")
        try:
            result = read_file(path)
        except (HtcdsError, OSError, ValueError) as exc:
            self._fail(f"{path}: {exc}")
        for rejection in result.rejections:
            sys.stderr.write(f"row {rejection.row}: {rejection.reason}\n")
        if result.rejections and not options["skip_bad_rows"]:
            self._fail(
                f"{len(result.rejections)} row(s) rejected: nothing imported "
                "(fix them, or use --skip-bad-rows)"
            )
        count = import_rows(result, organisation=org)
        self.stdout.write(
            f"imported {count} records into {org.name}; skipped {len(result.rejections)}"
        )
