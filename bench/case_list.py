"""Case list, search and case page at scale, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/case_list.py --cases 100000

Seeds N cases (default 1,000,000) spread over --orgs organisations (default 1) with COPY,
then prints p50/p95 server time of the case list, a name search and a case page, measured
in-process through Django's test client (middleware, policy, audit and template included;
no network). Re-running with the same N reuses the seeded rows; --reset refills them.

Sealed names are drawn from a pool sealed once (a real instance seals every row; the cost of
sealing is not what this measures). Never run against a database holding real data: the
case tables are emptied before seeding.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.config.settings")
os.environ.setdefault("HAVEN_SECRET_KEY", secrets.token_urlsafe(48))
os.environ.setdefault("HAVEN_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("HAVEN_SECURE_COOKIES", "false")
os.environ.setdefault("HAVEN_PLAIN_STATIC", "true")

STAGES = [
    "first_contact",
    "screening",
    "referred",
    "recovery_reflection",
    "conclusive_grounds",
    "assistance",
    "durable_solution",
    "closed",
]
COUNTRIES = ["CN", "VN", "PY", "NG", "RO", "PH", "MM", "ES", "NL", "CY", "UA", "CO"]
NEEDLE = ("Benchneedle", "Solitaria")  # one person per organisation carries this name
BENCH_YEAR = 2019
ORG_PREFIX = "Bench organisation"


def _setup() -> None:
    from haven.lib.crypto import new_key

    data_dir = Path(os.environ.setdefault("HAVEN_DATA_DIR", str(Path("var").resolve())))
    keys = data_dir / "encryption.keys"
    if "HAVEN_ENCRYPTION_KEYS" not in os.environ and not keys.exists():
        # Keys of the benchmark's own, kept so that a later run can read the rows it reuses.
        saved = Path(tempfile.gettempdir()) / "haven-bench-keys.txt"
        if not saved.exists():
            saved.write_text(f"bench:{new_key()}\n{new_key()}\n", encoding="utf-8")
            saved.chmod(0o600)
        encryption, index = saved.read_text(encoding="utf-8").split()
        os.environ["HAVEN_ENCRYPTION_KEYS"] = encryption
        os.environ["HAVEN_INDEX_KEY"] = index
    import django

    django.setup()


def _copy(table: str, columns: list[str], rows: Iterable[list[Any]]) -> None:
    from django.db import connection

    def text(value: Any) -> str:
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")

    buffer = io.StringIO()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with raw.copy(sql) as copy:
            for row in rows:
                buffer.write("\t".join(text(v) for v in row))
                buffer.write("\n")
                if buffer.tell() > 4_000_000:
                    copy.write(buffer.getvalue())
                    buffer.seek(0)
                    buffer.truncate()
            copy.write(buffer.getvalue())


def _columns(model: Any) -> list[tuple[str, str]]:
    return [(f.attname, f.column) for f in model._meta.concrete_fields]


def seed(total: int, org_count: int, reset: bool) -> list[Any]:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from haven.accounts.models import Organisation, RoleGrant, User
    from haven.accounts.roles import Role
    from haven.cases.models import Case, Person, ReferenceCounter, name_index
    from haven.lib.crypto import key_ring

    call_command("migrate", verbosity=0)
    orgs = []
    for number in range(org_count):
        org, _ = Organisation.objects.get_or_create(
            name=f"{ORG_PREFIX} {number}",
            defaults={"country": "ES", "kind": "ngo", "languages": ["es"]},
        )
        worker, created = User.objects.get_or_create(
            username=f"bench-worker-{number}", defaults={"organisation": org}
        )
        if created:
            RoleGrant.objects.create(user=worker, role=Role.CASE_WORKER)
        orgs.append((org, worker))
    existing = Case.objects.filter(reference__startswith=f"HVN-{BENCH_YEAR}-").count()
    if existing == total and not reset:
        print(f"reusing {existing:,} seeded cases")
        return orgs
    print(f"seeding {total:,} cases over {org_count} organisations ...", flush=True)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE referrals_referral, cases_exportjob, cases_notification, "
            "cases_timelineentry, cases_decision, cases_consent, cases_needsassessment, "
            "cases_service, cases_routestop, cases_case, cases_identitydocument, cases_person "
            "RESTART IDENTITY CASCADE"
        )
    ring = key_ring()
    rng = random.Random(20261129)
    pool = []
    for index in range(1000):
        family, given = f"Family{index:04d}", f"Given{index:04d}"
        pool.append(
            (
                ring.seal(family, "cases.person.family_name"),
                ring.seal(given, "cases.person.given_name"),
                name_index(family, "person.family_name"),
                name_index(given, "person.given_name"),
            )
        )
    needle = (
        ring.seal(NEEDLE[0], "cases.person.family_name"),
        ring.seal(NEEDLE[1], "cases.person.given_name"),
        name_index(NEEDLE[0], "person.family_name"),
        name_index(NEEDLE[1], "person.given_name"),
    )
    person_cols = _columns(Person)
    case_cols = _columns(Case)
    now = timezone.now()
    today = timezone.localdate()
    per_org = total // org_count

    def people() -> Iterable[list[Any]]:
        for pk in range(1, total + 1):
            sealed = needle if pk % per_org == per_org // 2 else pool[pk % len(pool)]
            values = {
                "id": pk,
                "family_name": sealed[0],
                "given_name": sealed[1],
                "name_original": "",
                "aliases": "",
                "sex": "feminine" if pk % 3 else "masculine",
                "date_of_birth": None,
                "estimated_age": 18 + pk % 30,
                "citizenships": f'["{COUNTRIES[pk % len(COUNTRIES)]}"]',
                "languages": "[]",
                "contact": "",
                "notes": "",
                "family_name_index": sealed[2],
                "given_name_index": sealed[3],
                "name_original_index": "",
            }
            yield [values[attname] for attname, _column in person_cols]

    def cases() -> Iterable[list[Any]]:
        for pk in range(1, total + 1):
            org, worker = orgs[min((pk - 1) // per_org, org_count - 1)]
            stage = STAGES[rng.randrange(len(STAGES))]
            values = {
                "id": pk,
                "reference": f"HVN-{BENCH_YEAR}-{pk:06d}",
                "person_id": pk,
                "organisation_id": org.pk,
                "assigned_to_id": worker.pk,
                "created_by_id": worker.pk,
                "stage": stage,
                "stage_before_closure": "",
                "closure_reason": "completed" if stage == "closed" else "",
                "first_contact": "raid",
                "exploitation_types": '["forced_labour"]',
                "child": pk % 11 == 0,
                "risk_level": "medium",
                "citizenship": COUNTRIES[pk % len(COUNTRIES)],
                "durable_solution": "",
                "return_requested_by_person": False,
                "rg_due": today.isoformat() if stage == "referred" else None,
                "reflection_starts": None,
                "reflection_ends": today.isoformat() if stage == "recovery_reflection" else None,
                "transferred_from_reference": "",
                "transferred_from_organisation": "",
                "is_demo": False,
                "opened_at": now.isoformat(),
                "updated_at": now.isoformat(),
                "closed_at": None,
            }
            yield [values[attname] for attname, _column in case_cols]

    _copy("cases_person", [c for _a, c in person_cols], people())
    print(f"  persons in {time.perf_counter() - started:.0f} s", flush=True)
    _copy("cases_case", [c for _a, c in case_cols], cases())
    print(f"  cases in {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        for table in ("cases_person", "cases_case"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT MAX(id) FROM {table}))"
            )
        cursor.execute("VACUUM ANALYZE cases_person")
        cursor.execute("VACUUM ANALYZE cases_case")
    ReferenceCounter.objects.update_or_create(year=BENCH_YEAR, defaults={"last": total})
    print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
    return orgs


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def measure(label: str, fetch: Callable[[], Any], repeat: int) -> None:
    """Total server time of the request, and the part of it spent in SQL."""
    from django.db import connection

    timings: list[float] = []
    sql: list[float] = []
    spent = [0.0]

    def timed(execute: Any, query: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            spent[0] += time.perf_counter() - started

    for round_ in range(repeat + 3):
        spent[0] = 0.0
        started = time.perf_counter()
        with connection.execute_wrapper(timed):
            response = fetch()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{label}: HTTP {response.status_code}")
        if round_ >= 3:  # warm-up
            timings.append(elapsed)
            sql.append(spent[0] * 1000)
    print(
        f"{label:<28} p50 {statistics.median(timings):6.1f} ms  p95 {_p95(timings):6.1f} ms"
        f"   (SQL p50 {statistics.median(sql):5.1f} ms  p95 {_p95(sql):5.1f} ms)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    # One organisation by default: the target is an organisation holding 1,000,000.
    parser.add_argument("--orgs", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--reset", action="store_true", help="refill even if already seeded")
    args = parser.parse_args(argv)
    if args.cases < args.orgs:
        parser.error("--cases must be at least --orgs")
    _setup()
    from django.db import connection
    from django.test import Client

    if connection.vendor != "postgresql":
        raise SystemExit("this benchmark runs on PostgreSQL: set DATABASE_URL")
    orgs = seed(args.cases, args.orgs, args.reset)
    _org, worker = orgs[0]
    client = Client()
    client.force_login(worker)
    per_org = args.cases // args.orgs
    print(f"\n{args.cases:,} cases, {per_org:,} in the measured organisation")
    measure("case list (page 1)", lambda: client.get("/cases/"), args.repeat)
    measure("case list (page 200)", lambda: client.get("/cases/?page=200"), args.repeat)
    measure("case list (stage filter)", lambda: client.get("/cases/?stage=referred"), args.repeat)
    measure(
        "case list, htmx rows only",
        lambda: client.get("/cases/", HTTP_HX_REQUEST="true"),
        args.repeat,
    )
    measure("search: unique exact name", lambda: client.get(f"/cases/?q={NEEDLE[0]}"), args.repeat)
    measure("search: common exact name", lambda: client.get("/cases/?q=Family0042"), args.repeat)
    measure(
        "search: by reference",
        lambda: client.get(f"/cases/?q=HVN-{BENCH_YEAR}-000007"),
        args.repeat,
    )
    rng = random.Random(7)
    measure(
        "case page",
        lambda: client.get(f"/cases/HVN-{BENCH_YEAR}-{rng.randint(1, per_org):06d}/"),
        args.repeat,
    )
    measure("API list", lambda: client.get("/api/v1/cases"), args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
