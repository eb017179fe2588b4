"""Safe publication of Haven's statistics: pure Python, no Django.

- :class:`CaseRecord`: a case as publication sees it (public value lists only).
- :func:`compute_release`: count tables (:class:`TableSpec`) under differential privacy, noise
  drawn by OpenDP, with a 95 % (configurable) interval beside every number (country -> country
  routes through a thresholded histogram that suppresses rare routes); the spend is booked
  in a :class:`BudgetLedger` first, which refuses a release over the dataset's budget.
- :func:`k_anonymise`: microdata in HTCDS columns where every combination of published values
  describes at least ``k`` people (default 11), with a :class:`KAnonReport`.
- :func:`synthetic_cases`: skewed synthetic records for benchmarks and demos.

The Django side maps its models to :class:`CaseRecord`, persists :class:`BudgetSpend` rows and
rebuilds ledgers with :meth:`BudgetLedger.from_rows`.
"""

from ._errors import BudgetExceededError, InvalidRecordError, InvalidSpecError, PublicationError
from ._kanon import (
    DEFAULT_EXPORT_COLUMNS,
    HIERARCHIES,
    KAnonExport,
    KAnonReport,
    htcds_row,
    k_anonymise,
)
from ._ledger import BudgetLedger, BudgetSpend
from ._records import CaseRecord, age_band_for
from ._release import (
    Mechanism,
    PublishedCell,
    PublishedTable,
    Release,
    compute_release,
    default_delta,
    gaussian_measurement,
    laplace_measurement,
    noisy_open_table,
    noisy_table,
    threshold_measurement,
)
from ._synthetic import synthetic_cases
from ._tables import (
    DEFAULT_BOUNDS,
    DIMENSIONS,
    MULTI_DIMENSIONS,
    OPEN_DIMENSIONS,
    SINGLE_DIMENSIONS,
    UNKNOWN,
    PreparedCases,
    TableSpec,
    default_tables,
    prepare,
)

__all__ = [
    "DEFAULT_BOUNDS",
    "DEFAULT_EXPORT_COLUMNS",
    "DIMENSIONS",
    "HIERARCHIES",
    "MULTI_DIMENSIONS",
    "OPEN_DIMENSIONS",
    "SINGLE_DIMENSIONS",
    "UNKNOWN",
    "BudgetExceededError",
    "BudgetLedger",
    "BudgetSpend",
    "CaseRecord",
    "InvalidRecordError",
    "InvalidSpecError",
    "KAnonExport",
    "KAnonReport",
    "Mechanism",
    "PreparedCases",
    "PublicationError",
    "PublishedCell",
    "PublishedTable",
    "Release",
    "TableSpec",
    "age_band_for",
    "compute_release",
    "default_delta",
    "default_tables",
    "gaussian_measurement",
    "htcds_row",
    "k_anonymise",
    "laplace_measurement",
    "noisy_open_table",
    "noisy_table",
    "prepare",
    "synthetic_cases",
    "threshold_measurement",
]
