"""Transfer keys for the demo organisations, and one demo case returning from Spain to China
through a transfer package, so that the demo shows the whole path (idempotent)."""

from __future__ import annotations

from haven.accounts.demo_world import DEMO_ORGANISATIONS, DemoOrganisation, demo_username
from haven.accounts.models import Organisation, User
from haven.accounts.roles import Role
from haven.cases import services
from haven.cases.choices import ConsentPurpose, Stage
from haven.cases.models import Case
from haven.referrals.transfer import active_key, export_package, generate_key_pair, import_package

SHARED = [
    "family_name",
    "given_name",
    "name_original",
    "sex",
    "date_of_birth",
    "citizenships",
    "languages",
    "exploitation_types",
    "route",
    "needs",
    "services",
    "decisions",
]


def _demo(code: str) -> tuple[DemoOrganisation, Organisation | None]:
    spec = next(s for s in DEMO_ORGANISATIONS if s.code == code)
    return spec, Organisation.objects.filter(name=spec.name).first()


def _user(spec: DemoOrganisation, role: Role) -> User | None:
    return User.objects.filter(username=demo_username(spec, role)).first()


def seed_demo_transfers() -> int:
    """Returns the number of packages imported (0 when the demo already has its one)."""
    for spec in DEMO_ORGANISATIONS:
        org = Organisation.objects.filter(name=spec.name).first()
        admin = _user(spec, Role.ORG_ADMIN)
        if org is not None and admin is not None and active_key(org.pk) is None:
            generate_key_pair(org, actor=admin)
    es_spec, spain = _demo("es-ngo")
    cn_spec, china = _demo("cn-io")
    sender, receiver = _user(es_spec, Role.CASE_WORKER), _user(cn_spec, Role.CASE_WORKER)
    if spain is None or china is None or sender is None or receiver is None:
        return 0
    if Case.objects.filter(organisation=china, transferred_from_organisation=spain.name).exists():
        return 0
    case = (
        Case.objects.filter(
            organisation=spain, is_demo=True, citizenship="CN", stage=Stage.DURABLE_SOLUTION
        )
        .order_by("pk")
        .first()
    )
    if case is None:
        return 0
    consent = services.record_consent(
        case,
        actor=sender,
        purpose=ConsentPurpose.CROSS_BORDER,
        explained_in="zh",
        organisation=china,
    )
    package = export_package(
        case, actor=sender, to_organisation=china, consent=consent, fields=SHARED
    )
    imported = import_package(package.content, actor=receiver)
    imported.is_demo = True
    imported.save(update_fields=["is_demo"])
    return 1
