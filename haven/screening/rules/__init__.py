"""Haven's screening rules: the ILO/EC indicator catalogue and a pure rule engine.

No Django here: the web layer calls :func:`parse_request` and :func:`assess_request` (or
:func:`assess`) and renders the :class:`Assessment`. A result is a ground for referral,
never a legal determination.
"""

from ._engine import ENGINE_VERSION, assess, assess_request, profiles_for
from ._errors import CatalogueError, InputError, ScreeningError
from ._export import catalogue_as_dict
from ._loader import default_catalogue, load_catalogue
from ._model import Catalogue, Dimension, Indicator, IndicatorSet, Question, Section, UrgentItem
from ._request import AssessmentRequest, parse_request
from ._result import Assessment, DimensionResult, Elements, Flag
from ._types import (
    ANSWERS,
    INTERVIEW_LANGUAGES,
    LANGUAGES,
    OUTCOMES,
    PROFILES,
    Answer,
    Exploitation,
    FlagCode,
    Outcome,
    Profile,
    Status,
)

__all__ = [
    "ANSWERS",
    "ENGINE_VERSION",
    "INTERVIEW_LANGUAGES",
    "LANGUAGES",
    "OUTCOMES",
    "PROFILES",
    "Answer",
    "Assessment",
    "AssessmentRequest",
    "Catalogue",
    "CatalogueError",
    "Dimension",
    "DimensionResult",
    "Elements",
    "Exploitation",
    "Flag",
    "FlagCode",
    "Indicator",
    "IndicatorSet",
    "InputError",
    "Outcome",
    "Profile",
    "Question",
    "ScreeningError",
    "Section",
    "Status",
    "UrgentItem",
    "assess",
    "assess_request",
    "catalogue_as_dict",
    "default_catalogue",
    "load_catalogue",
    "parse_request",
    "profiles_for",
]
