"""ISO 3166-1 alpha-2 codes and their UN M49 geographic regions (a small table shipped with
Haven, nothing fetched at run time).

M49 puts Taiwan under China; Haven lists ``TW`` in Eastern Asia beside it. Antarctica (``AQ``)
has no M49 region and generalises to :data:`OTHER_REGION`, as does any code missing here.
"""

from __future__ import annotations

from types import MappingProxyType

OTHER_REGION = "other"

# M49 sub-region -> (M49 region, ISO codes). Sub-Saharan/Latin America intermediate regions are
# folded into their sub-region's continent-level region, as the data hub's tables do.
_SUB_REGIONS: dict[str, tuple[str, str]] = {
    "Northern Africa": ("Africa", "DZ EG LY MA SD TN EH"),
    "Eastern Africa": (
        "Africa",
        "BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW IO TF",
    ),
    "Middle Africa": ("Africa", "AO CM CF TD CG CD GQ GA ST"),
    "Southern Africa": ("Africa", "BW SZ LS NA ZA"),
    "Western Africa": ("Africa", "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG"),
    "Caribbean": (
        "Americas",
        "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI",
    ),
    "Central America": ("Americas", "BZ CR SV GT HN MX NI PA"),
    "South America": ("Americas", "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE"),
    "Northern America": ("Americas", "BM CA GL PM US"),
    "Central Asia": ("Asia", "KZ KG TJ TM UZ"),
    "Eastern Asia": ("Asia", "CN HK MO KP JP MN KR TW"),
    "South-eastern Asia": ("Asia", "BN KH ID LA MY MM PH SG TH TL VN"),
    "Southern Asia": ("Asia", "AF BD BT IN IR MV NP PK LK"),
    "Western Asia": ("Asia", "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE"),
    "Eastern Europe": ("Europe", "BY BG CZ HU PL MD RO RU SK UA"),
    "Northern Europe": ("Europe", "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB"),
    "Southern Europe": ("Europe", "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES"),
    "Western Europe": ("Europe", "AT BE FR DE LI LU MC NL CH"),
    "Australia and New Zealand": ("Oceania", "AU NZ NF HM CX CC"),
    "Melanesia": ("Oceania", "FJ NC PG SB VU"),
    "Micronesia": ("Oceania", "GU KI MH FM NR MP PW UM"),
    "Polynesia": ("Oceania", "AS CK PF NU PN WS TK TO TV WF"),
}

SUB_REGION_OF: MappingProxyType[str, str] = MappingProxyType(
    {code: sub for sub, (_, codes) in _SUB_REGIONS.items() for code in codes.split()}
)
REGION_OF_SUB_REGION: MappingProxyType[str, str] = MappingProxyType(
    {sub: region for sub, (region, _) in _SUB_REGIONS.items()}
)

#: Every ISO 3166-1 alpha-2 code (249), in alphabetical order.
ISO_COUNTRIES: tuple[str, ...] = tuple(sorted({*SUB_REGION_OF, "AQ"}))
SUB_REGIONS: tuple[str, ...] = (*_SUB_REGIONS, OTHER_REGION)
REGIONS: tuple[str, ...] = (*dict.fromkeys(r for r, _ in _SUB_REGIONS.values()), OTHER_REGION)

#: The 27 member states of the European Union.
EU_MEMBERS: frozenset[str] = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)
#: Greater Mekong Subregion: Cambodia, China (Yunnan, Guangxi), Laos, Myanmar, Thailand, Viet Nam.
GREATER_MEKONG: frozenset[str] = frozenset(["KH", "CN", "LA", "MM", "TH", "VN"])


def sub_region_of(code: str) -> str:
    """The M49 sub-region of an ISO alpha-2 code, :data:`OTHER_REGION` if not in the table."""
    return SUB_REGION_OF.get(code, OTHER_REGION)


def region_of(code: str) -> str:
    """The M49 region (continent) of an ISO alpha-2 code, :data:`OTHER_REGION` if unknown."""
    return REGION_OF_SUB_REGION.get(SUB_REGION_OF.get(code, ""), OTHER_REGION)
