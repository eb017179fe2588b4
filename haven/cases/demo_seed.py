"""Demo cases for `haven seed-demo`: in each demo organisation, one case in every resting
stage, with invented people whose names come from Faker locales (zh_CN, es_ES, el_GR, nl_NL,
vi_VN). Idempotent: an organisation that already has demo cases gets no more.

The history is written directly (dated in the past), not through the services, which date
everything "now"; decision 0107 explains why that is acceptable for demo data only.
"""

from __future__ import annotations

import datetime
import hashlib
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from faker import Faker

from haven.accounts.demo_world import DEMO_ORGANISATIONS
from haven.accounts.models import Organisation, User
from haven.accounts.roles import Role
from haven.cases.choices import (
    ClosureReason,
    ConsentPurpose,
    DecisionKind,
    DurableSolution,
    ExploitationType,
    FirstContact,
    Outcome,
    RiskLevel,
    ServiceKind,
    ServiceStatus,
    Sex,
    Stage,
    VulnerabilityLevel,
)
from haven.cases.models import (
    Case,
    Consent,
    CountrySetting,
    Decision,
    NeedsAssessment,
    Person,
    RouteStop,
    Service,
    TimelineEntry,
)
from haven.cases.services import RG_WORKING_DAYS, add_working_days, next_reference

# Who the people helped in each country come from (locale, citizenship, language).
ORIGINS: dict[str, list[tuple[str, str, str]]] = {
    "CN": [("zh_CN", "CN", "zh"), ("vi_VN", "VN", "vi")],
    "ES": [("es_ES", "PY", "es"), ("zh_CN", "CN", "zh")],
    "CY": [("vi_VN", "VN", "vi"), ("el_GR", "GR", "el")],
    "NL": [("nl_NL", "NL", "nl"), ("zh_CN", "CN", "zh"), ("vi_VN", "VN", "vi")],
}

# Chinese names with their pinyin, so that both scripts name the same person.
_ZH_FAMILY = [
    ("王", "Wang"),
    ("李", "Li"),
    ("张", "Zhang"),
    ("刘", "Liu"),
    ("陈", "Chen"),
    ("杨", "Yang"),
    ("黄", "Huang"),
    ("赵", "Zhao"),
    ("吴", "Wu"),
    ("周", "Zhou"),
]
_ZH_GIVEN_F = [
    ("芳", "Fang"),
    ("娜", "Na"),
    ("静", "Jing"),
    ("秀英", "Xiuying"),
    ("丽", "Li"),
    ("敏", "Min"),
    ("桂兰", "Guilan"),
    ("晓红", "Xiaohong"),
]
_ZH_GIVEN_M = [
    ("伟", "Wei"),
    ("强", "Qiang"),
    ("磊", "Lei"),
    ("军", "Jun"),
    ("洋", "Yang"),
    ("建国", "Jianguo"),
]
_GREEK = str.maketrans(
    {"α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
     "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p",
     "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps",
     "ω": "o"}
)  # fmt: skip

# The resting stages a demo case can sit in, oldest first.
STAGES = [
    Stage.CLOSED,
    Stage.DURABLE_SOLUTION,
    Stage.ASSISTANCE,
    Stage.CONCLUSIVE_GROUNDS,
    Stage.RECOVERY_REFLECTION,
    Stage.REFERRED,
    Stage.SCREENING,
    Stage.FIRST_CONTACT,
]
_AFTER_RG = {
    Stage.RECOVERY_REFLECTION,
    Stage.CONCLUSIVE_GROUNDS,
    Stage.ASSISTANCE,
    Stage.DURABLE_SOLUTION,
    Stage.CLOSED,
}
_AFTER_CG = {Stage.CONCLUSIVE_GROUNDS, Stage.ASSISTANCE, Stage.DURABLE_SOLUTION, Stage.CLOSED}


def _latin(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.lower().translate(_GREEK).title()


@dataclass
class Name:
    family: str
    given: str
    original: str


def _name(fake: Faker, locale: str, female: bool) -> Name:
    if locale == "zh_CN":
        fam_zh, fam = fake.random_element(_ZH_FAMILY)
        giv_zh, giv = fake.random_element(_ZH_GIVEN_F if female else _ZH_GIVEN_M)
        return Name(fam, giv, fam_zh + giv_zh)
    family = fake.last_name()
    given = fake.first_name_female() if female else fake.first_name_male()
    if locale == "vi_VN":
        return Name(_latin(family), _latin(given), f"{family} {given}")
    if locale == "el_GR":
        return Name(_latin(family), _latin(given), f"{given} {family}")
    return Name(family, given, "")


def _decider(org: Organisation) -> User | None:
    """The competent authority: the organisation's supervisor, else one in the same country."""
    supervisors = User.objects.filter(role_grants__role=Role.SUPERVISOR, is_active=True)
    return (
        supervisors.filter(organisation=org).first()
        or supervisors.filter(organisation__country=org.country).first()
        or supervisors.first()
    )


def _worker(org: Organisation, *roles: Role) -> User | None:
    return User.objects.filter(organisation=org, role_grants__role__in=roles).first()


@transaction.atomic
def seed_demo_cases() -> int:
    created = 0
    for spec in DEMO_ORGANISATIONS:
        org = Organisation.objects.filter(name=spec.name).first()
        if org is None or Case.objects.filter(organisation=org, is_demo=True).exists():
            continue
        seed = int(hashlib.sha256(spec.code.encode()).hexdigest()[:8], 16)
        origins = ORIGINS.get(spec.country, [("es_ES", "ES", "es")])
        fakers = {loc: Faker(loc) for loc, _c, _l in origins}
        for fake in fakers.values():
            fake.seed_instance(seed)
        for index, stage in enumerate(STAGES):
            locale, citizenship, language = origins[index % len(origins)]
            _make_case(
                org, spec.country, fakers[locale], locale, citizenship, language, stage, index
            )
            created += 1
    return created


def _make_case(
    org: Organisation,
    country: str,
    fake: Faker,
    locale: str,
    citizenship: str,
    language: str,
    stage: str,
    index: int,
) -> None:
    now = timezone.now()
    today = timezone.localdate()
    worker = _worker(org, Role.CASE_WORKER) or _worker(org, Role.SCREENER)
    decider = _decider(org)
    female = index % 3 != 2
    name = _name(fake, locale, female)
    child = index == 4
    age = fake.random_int(14, 17) if child else fake.random_int(19, 45)
    opened = now - datetime.timedelta(days=[200, 160, 120, 70, 20, 3, 2, 0][index])
    values: dict[str, Any] = {
        "family_name": name.family,
        "given_name": name.given,
        "name_original": name.original,
        "aliases": [fake.first_name()] if index % 2 else [],
        "sex": Sex.FEMININE if female else Sex.MASCULINE,
        "date_of_birth": fake.date_of_birth(minimum_age=age, maximum_age=age)
        if index % 2
        else None,
        "estimated_age": None if index % 2 else age,
        "citizenships": [citizenship],
        "languages": [language],
        "contact": fake.phone_number(),
    }
    person = Person(**values)
    person.save()
    exploitation = [
        [ExploitationType.SEXUAL],
        [ExploitationType.FORCED_LABOUR],
        [ExploitationType.FORCED_MARRIAGE],
        [ExploitationType.FORCED_CRIMINALITY, ExploitationType.FORCED_BEGGING],
        [ExploitationType.DOMESTIC_SERVITUDE],
        [ExploitationType.SURROGACY],
        [ExploitationType.ILLEGAL_ADOPTION],
        [ExploitationType.ORGAN_REMOVAL],
    ][index]
    case = Case(
        reference=next_reference(opened.year),
        person=person,
        organisation=org,
        assigned_to=worker if worker and worker.has_role(Role.CASE_WORKER) else None,
        created_by=worker,
        stage=stage,
        first_contact=list(FirstContact.values)[index % len(FirstContact.values)],
        exploitation_types=exploitation,
        child=child,
        risk_level=[RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.LOW][index % 3],
        citizenship=citizenship,
        is_demo=True,
        opened_at=opened,
        updated_at=opened,
    )
    referred_on = (opened + datetime.timedelta(days=2)).date()
    if stage == Stage.REFERRED:
        case.rg_due = add_working_days(referred_on, RG_WORKING_DAYS, org.country.code)
    rg_on = referred_on + datetime.timedelta(days=4)
    if stage in _AFTER_RG:
        rg_on = min(rg_on, today)
        days = CountrySetting.reflection_days_for(country)
        case.reflection_starts = rg_on
        case.reflection_ends = rg_on + datetime.timedelta(days=days)
    if stage == Stage.DURABLE_SOLUTION:
        case.durable_solution = DurableSolution.INTEGRATION
    if stage == Stage.CLOSED:
        case.durable_solution = DurableSolution.VOLUNTARY_RETURN
        case.closure_reason = ClosureReason.COMPLETED
        case.stage_before_closure = Stage.DURABLE_SOLUTION
        case.closed_at = now - datetime.timedelta(days=5)
    case.save()
    RouteStop.objects.create(case=case, role="origin", country=citizenship, position=0)
    if citizenship != country:
        RouteStop.objects.create(case=case, role="destination", country=country, position=1)
    TimelineEntry.objects.create(
        case=case, at=opened, author=worker, event="case_opened",
        params={"first_contact": case.first_contact},
    )  # fmt: skip
    if stage != Stage.FIRST_CONTACT and decider is not None:
        _history(case, worker, decider, stage, rg_on, language)


def _history(
    case: Case, worker: User | None, decider: User, stage: str, rg_on: datetime.date, language: str
) -> None:
    recorder = worker or decider
    if stage in _AFTER_RG:
        Decision.objects.create(
            case=case,
            kind=DecisionKind.REASONABLE_GROUNDS,
            outcome=Outcome.POSITIVE,
            reasons="Demo: indicators of control and exploitation found at screening.",
            decided_on=rg_on,
            decided_by=decider,
        )
        Consent.objects.create(
            case=case,
            purpose=ConsentPurpose.ASSISTANCE,
            explained_in=language,
            given_on=rg_on,
            recorded_by=recorder,
        )
        NeedsAssessment.objects.create(
            case=case,
            level=VulnerabilityLevel.INDIVIDUAL,
            risk=RiskLevel.HIGH,
            risk_factors="Demo: debt to the recruiter; no documents.",
            protective_factors="Demo: speaks with family weekly.",
            assessed_on=rg_on,
            assessed_by=recorder,
        )
        Service.objects.create(
            case=case,
            kind=ServiceKind.ACCOMMODATION,
            provider=case.organisation,
            starts_on=rg_on,
            status=ServiceStatus.IN_PROGRESS,
            follow_up_on=timezone.localdate() + datetime.timedelta(days=5),
        )
    if stage in _AFTER_CG:
        Decision.objects.create(
            case=case,
            kind=DecisionKind.CONCLUSIVE_GROUNDS,
            outcome=Outcome.POSITIVE,
            reasons="Demo: account corroborated by the labour inspection.",
            decided_on=min(rg_on + datetime.timedelta(days=45), timezone.localdate()),
            decided_by=decider,
        )
        Service.objects.create(
            case=case,
            kind=ServiceKind.LEGAL_COUNSELLING,
            provider_name="Demo legal aid clinic",
            starts_on=rg_on,
            status=ServiceStatus.DELIVERED,
            outcome="Demo: residence permit application filed.",
        )
