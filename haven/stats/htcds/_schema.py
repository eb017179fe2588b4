"""The HTCDS v2 columns Haven exports, and their value lists.

One row per person. The columns, in the order written (see
``docs/decisions/0400-htcds-columns.md``):

=========================== ====== ================================================
column                      cells  values
=========================== ====== ================================================
``cas_YearOfRegistration``  one    a year (``2019``) or a period (``2015-2019``)
``cas_Status``              one    :data:`CASE_STATUSES`
``prs_Gender``              one    :data:`GENDERS`
``prs_AgeBroad``            one    :data:`AGE_BANDS` (age at registration, banded)
``prs_Citizenship``         several ISO 3166-1 alpha-2 (:data:`ISO_COUNTRIES`)
``vic_TraffickingStatus``   one    :data:`TRAFFICKING_STATUSES`
``vic_AgeWhenTrafficked``   one    :data:`AGE_BANDS`
``vic_TypeOfExploitation``  several :data:`EXPLOITATION_TYPES`
``vic_MethodsOfControl``    several :data:`METHODS_OF_CONTROL`
``hte_RecruitmentCountry``  one    ISO alpha-2: the place of the ``hte_Type`` recruitment event
``hte_TransitCountries``    several ISO alpha-2: places of the ``hte_Type`` transit events
``hte_ExploitationCountry`` one    ISO alpha-2: the place of the ``hte_Type`` exploitation event
``con_Consent``             one    :data:`CONSENT_VALUES`
=========================== ====== ================================================

A k-anonymised export may also hold *generalised* values (:func:`generalised_values`): wider
age bands, M49 regions instead of countries, method-of-control groups, ``multiple`` for several
types of exploitation, and ``*`` for a withheld cell. A reader accepts them only when asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType

from ._countries import ISO_COUNTRIES, REGIONS, SUB_REGIONS

#: ``prs_Gender``.
GENDERS: tuple[str, ...] = (
    "feminine",
    "masculine",
    "transgender feminine",
    "transgender masculine",
    "non-conforming",
    "not specified",
)
#: Age bands used by the global data hub (``prs_AgeBroad``, ``vic_AgeWhenTrafficked``).
AGE_BANDS: tuple[str, ...] = (
    "0-8",
    "9-17",
    "18-20",
    "21-23",
    "24-26",
    "27-29",
    "30-38",
    "39-47",
    "48+",
)
#: Wider bands, each a union of :data:`AGE_BANDS` (generalisation level 1, then 2).
WIDE_AGE_BANDS: MappingProxyType[str, str] = MappingProxyType(
    {
        "0-8": "0-17",
        "9-17": "0-17",
        "18-20": "18-29",
        "21-23": "18-29",
        "24-26": "18-29",
        "27-29": "18-29",
        "30-38": "30-47",
        "39-47": "30-47",
        "48+": "48+",
    }
)
MAJORITY_BANDS: MappingProxyType[str, str] = MappingProxyType(
    {"0-17": "0-17", "18-29": "18+", "30-47": "18+", "48+": "18+"}
)
#: ``vic_TraffickingStatus``.
TRAFFICKING_STATUSES: tuple[str, ...] = ("possible", "actual", "not a victim")
#: ``cas_Status``.
CASE_STATUSES: tuple[str, ...] = ("active", "follow up", "closed", "closed referred")
#: ``vic_TypeOfExploitation``: Haven's exploitation choices, spelt with spaces.
EXPLOITATION_TYPES: tuple[str, ...] = (
    "sexual exploitation",
    "forced labour",
    "domestic servitude",
    "forced criminality",
    "forced begging",
    "forced marriage",
    "illegal adoption",
    "surrogacy",
    "organ removal",
    "slavery practices",
    "forced military",
    "other",
)
#: ``vic_MethodsOfControl`` (the standard's list).
METHODS_OF_CONTROL: tuple[str, ...] = (
    "debt bondage",
    "takes earnings",
    "restricts financial access",
    "threats",
    "psychological abuse",
    "physical abuse",
    "sexual abuse",
    "false promises",
    "psychoactive substances",
    "restricts movement",
    "restricts medical care",
    "excessive working hours",
    "uses children",
    "threat of law enforcement",
    "withholds necessities",
    "withholds documents",
    "other",
)
#: Groups of methods of control (generalisation level 1 of ``vic_MethodsOfControl``).
CONTROL_GROUP_OF: MappingProxyType[str, str] = MappingProxyType(
    {
        "debt bondage": "group: financial",
        "takes earnings": "group: financial",
        "restricts financial access": "group: financial",
        "threats": "group: threats and abuse",
        "psychological abuse": "group: threats and abuse",
        "physical abuse": "group: threats and abuse",
        "sexual abuse": "group: threats and abuse",
        "threat of law enforcement": "group: threats and abuse",
        "false promises": "group: deception",
        "psychoactive substances": "group: substances",
        "restricts movement": "group: deprivation",
        "restricts medical care": "group: deprivation",
        "withholds necessities": "group: deprivation",
        "withholds documents": "group: deprivation",
        "excessive working hours": "group: working conditions",
        "uses children": "group: working conditions",
        "other": "group: other",
    }
)
#: ``con_Consent``: consent to the sharing of the person's data.
CONSENT_VALUES: tuple[str, ...] = ("given", "refused", "withdrawn", "not asked")

#: The marker of a withheld (suppressed or fully generalised) cell.
WITHHELD = "*"
MULTIPLE = "multiple"
SEPARATOR = ";"

_YEAR = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its name, whether it holds several values, and what a value may be."""

    name: str
    multi: bool
    values: frozenset[str] | None  # None: checked by ``kind``
    kind: str = "choice"  # "choice" or "year"
    generalised: frozenset[str] = frozenset()

    def check(self, value: str, *, allow_generalised: bool) -> str | None:
        """The reason ``value`` is not allowed here, or None."""
        if allow_generalised and (value == WITHHELD or value in self.generalised):
            return None
        if self.kind == "year":
            match = _YEAR.match(value)
            if match is None:
                return f"{value!r} is not a year"
            if match.group(2) is not None:
                if not allow_generalised:
                    return f"{value!r} is a period, not a year"
                if int(match.group(2)) < int(match.group(1)):
                    return f"{value!r} is not a valid period"
            if not 1900 <= int(match.group(1)) <= 2100:
                return f"{value!r} is out of range (1900-2100)"
            return None
        assert self.values is not None
        if value not in self.values:
            shown = ", ".join(sorted(self.values)) if len(self.values) <= 20 else "its list"
            return f"{value!r} is not one of {shown}"
        return None


_COUNTRY_GENERALISED = frozenset({*SUB_REGIONS, *REGIONS})
_COUNTRIES = frozenset(ISO_COUNTRIES)

COLUMNS: tuple[Column, ...] = (
    Column("cas_YearOfRegistration", False, None, kind="year"),
    Column("cas_Status", False, frozenset(CASE_STATUSES)),
    Column("prs_Gender", False, frozenset(GENDERS)),
    Column(
        "prs_AgeBroad",
        False,
        frozenset(AGE_BANDS),
        generalised=frozenset({*WIDE_AGE_BANDS.values(), *MAJORITY_BANDS.values()}),
    ),
    Column("prs_Citizenship", True, _COUNTRIES, generalised=_COUNTRY_GENERALISED),
    Column("vic_TraffickingStatus", False, frozenset(TRAFFICKING_STATUSES)),
    Column(
        "vic_AgeWhenTrafficked",
        False,
        frozenset(AGE_BANDS),
        generalised=frozenset({*WIDE_AGE_BANDS.values(), *MAJORITY_BANDS.values()}),
    ),
    Column(
        "vic_TypeOfExploitation",
        True,
        frozenset(EXPLOITATION_TYPES),
        generalised=frozenset({MULTIPLE}),
    ),
    Column(
        "vic_MethodsOfControl",
        True,
        frozenset(METHODS_OF_CONTROL),
        generalised=frozenset(CONTROL_GROUP_OF.values()),
    ),
    Column("hte_RecruitmentCountry", False, _COUNTRIES, generalised=_COUNTRY_GENERALISED),
    Column("hte_TransitCountries", True, _COUNTRIES, generalised=_COUNTRY_GENERALISED),
    Column("hte_ExploitationCountry", False, _COUNTRIES, generalised=_COUNTRY_GENERALISED),
    Column("con_Consent", False, frozenset(CONSENT_VALUES)),
)
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
COLUMNS_BY_NAME: MappingProxyType[str, Column] = MappingProxyType({c.name: c for c in COLUMNS})


def generalised_values(column: str) -> frozenset[str]:
    """The generalised values (besides ``*``) a k-anonymised export may hold in ``column``."""
    return COLUMNS_BY_NAME[column].generalised
