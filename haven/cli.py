"""The `haven` command: Django's management commands behind one console script.

Hyphenated names (`haven seed-demo`) map to the management command (`seed_demo`), and a bad
configuration ends with one line on stderr and exit status 2 rather than a traceback.
"""

from __future__ import annotations

import os
import sys

from haven.config.env import ConfigError


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.config.settings")
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "haven"
    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(args)
    except ConfigError as exc:
        print(f"haven: configuration error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
