"""The demo world: partner organisations in China, Spain, Cyprus and the Netherlands.

Names are invented for the demo and say so; they are not the real agencies' names.
"""

from __future__ import annotations

from dataclasses import dataclass

from haven.accounts.models import Organisation
from haven.accounts.roles import Role
from haven.directory.models import FocalPoint

K = Organisation.Kind
R = Role


@dataclass(frozen=True)
class DemoOrganisation:
    code: str  # "<country>-<org>", the prefix of its users' names
    name: str
    country: str
    city: str
    kind: str
    languages: tuple[str, ...]
    time_zone: str
    interface_language: str
    roles: tuple[Role, ...]
    focal_point: tuple[str, str, str, str]  # name, role title, channel, contact


DEMO_ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation(
        "cn-io",
        "International Migration Office, Beijing (demo)",
        "CN",
        "Beijing",
        K.INTERNATIONAL,
        ("zh", "en"),
        "Asia/Shanghai",
        "en",
        (R.CASE_WORKER, R.ANALYST, R.SUPERVISOR, R.TRAINER, R.TRAINEE, R.ORG_ADMIN, R.SYSTEM_ADMIN),
        (
            "Li Wen",
            "Counter-trafficking programme officer",
            FocalPoint.Channel.SECURE_EMAIL,
            "ct-beijing@demo.invalid",
        ),
    ),
    DemoOrganisation(
        "cn-police",
        "南京市公安局反拐办 Nanjing Police Anti-Trafficking Office (demo)",
        "CN",
        "Nanjing",
        K.POLICE,
        ("zh",),
        "Asia/Shanghai",
        "zh-hans",
        (R.SCREENER, R.INVESTIGATOR, R.SUPERVISOR, R.ORG_ADMIN),
        (
            "王警官 Wang Jun",
            "Anti-trafficking liaison officer",
            FocalPoint.Channel.DIPLOMATIC,
            "liaison-nanjing@demo.invalid",
        ),
    ),
    DemoOrganisation(
        "cn-ngo",
        "南京妇女儿童援助中心 Nanjing Women and Children Aid Centre (demo)",
        "CN",
        "Nanjing",
        K.NGO,
        ("zh", "vi", "my"),
        "Asia/Shanghai",
        "zh-hans",
        (R.CASE_WORKER, R.SCREENER, R.TRAINEE, R.ORG_ADMIN),
        (
            "陈静 Chen Jing",
            "Case management coordinator",
            FocalPoint.Channel.HAVEN,
            "Haven referral inbox",
        ),
    ),
    DemoOrganisation(
        "es-police",
        "Policía Nacional, Unidad contra la Trata, Madrid (demo)",
        "ES",
        "Madrid",
        K.POLICE,
        ("es", "en"),
        "Europe/Madrid",
        "es",
        (R.SCREENER, R.INVESTIGATOR, R.SUPERVISOR, R.ORG_ADMIN),
        (
            "Inspectora Lucía Romero",
            "Punto de contacto de trata",
            FocalPoint.Channel.SECURE_EMAIL,
            "trata-madrid@demo.invalid",
        ),
    ),
    DemoOrganisation(
        "es-ngo",
        "Asociación Refugio Madrid (demo)",
        "ES",
        "Madrid",
        K.NGO,
        ("es", "en", "zh", "ro"),
        "Europe/Madrid",
        "es",
        (R.CASE_WORKER, R.SCREENER, R.TRAINER, R.TRAINEE, R.ORG_ADMIN),
        (
            "Marta Giménez",
            "Coordinadora de atención a víctimas",
            FocalPoint.Channel.SIGNAL,
            "+34 600 000 000 (demo)",
        ),
    ),
    DemoOrganisation(
        "cy-police",
        "Cyprus Police Office for Combating Trafficking (demo)",
        "CY",
        "Nicosia",
        K.POLICE,
        ("el", "en"),
        "Asia/Nicosia",
        "el",
        (R.SCREENER, R.INVESTIGATOR, R.SUPERVISOR, R.ORG_ADMIN),
        (
            "Andreas Georgiou",
            "Liaison officer",
            FocalPoint.Channel.SECURE_EMAIL,
            "thb-nicosia@demo.invalid",
        ),
    ),
    DemoOrganisation(
        "cy-shelter",
        "Nicosia Safe House (demo)",
        "CY",
        "Nicosia",
        K.SHELTER,
        ("el", "en", "ru", "tl"),
        "Asia/Nicosia",
        "el",
        (R.CASE_WORKER, R.SCREENER, R.ORG_ADMIN),
        (
            "Eleni Christodoulou",
            "Shelter coordinator",
            FocalPoint.Channel.HAVEN,
            "Haven referral inbox",
        ),
    ),
    DemoOrganisation(
        "nl-inspectorate",
        "Labour Inspectorate, The Hague (demo)",
        "NL",
        "The Hague",
        K.LABOUR_INSPECTORATE,
        ("nl", "en"),
        "Europe/Amsterdam",
        "nl",
        (R.SCREENER, R.INVESTIGATOR, R.ANALYST, R.SUPERVISOR, R.ORG_ADMIN),
        (
            "Pieter de Vries",
            "Contactpersoon mensenhandel",
            FocalPoint.Channel.SECURE_EMAIL,
            "mensenhandel-denhaag@demo.invalid",
        ),
    ),
    DemoOrganisation(
        "nl-ngo",
        "Stichting Veilige Haven Den Haag (demo)",
        "NL",
        "The Hague",
        K.NGO,
        ("nl", "en", "zh"),
        "Europe/Amsterdam",
        "nl",
        (R.CASE_WORKER, R.SCREENER, R.TRAINEE, R.ORG_ADMIN),
        ("Sanne Jansen", "Zorgcoördinator", FocalPoint.Channel.HAVEN, "Haven referral inbox"),
    ),
)


def demo_username(org: DemoOrganisation, role: Role) -> str:
    return f"{org.code}-{role.value}"
