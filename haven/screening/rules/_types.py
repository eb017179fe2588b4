"""Closed vocabularies shared by the catalogue, the engine and the request parser."""

from typing import Final, Literal

Answer = Literal["yes", "no", "unknown"]
Grade = Literal["S", "M", "W"]
Profile = Literal["adult_labour", "adult_sexual", "child_labour", "child_sexual"]
Exploitation = Literal["labour", "sexual", "both"]
Outcome = Literal["no_indication", "exploitation", "possible_trafficking", "trafficking"]
Status = Literal["positive", "negative", "undetermined"]
Element = Literal["act", "means", "purpose"]
FlagCode = Literal["immediate_danger", "urgent_medical", "child", "non_punishment"]

ANSWERS: Final[tuple[Answer, ...]] = ("yes", "no", "unknown")
GRADES: Final[tuple[Grade, ...]] = ("S", "M", "W")
PROFILES: Final[tuple[Profile, ...]] = (
    "adult_labour",
    "adult_sexual",
    "child_labour",
    "child_sexual",
)
EXPLOITATIONS: Final[tuple[Exploitation, ...]] = ("labour", "sexual", "both")
# Ordered weakest first: the index is the outcome's rank (used for "both" and monotonicity).
OUTCOMES: Final[tuple[Outcome, ...]] = (
    "no_indication",
    "exploitation",
    "possible_trafficking",
    "trafficking",
)
STATUSES: Final[tuple[Status, ...]] = ("negative", "undetermined", "positive")
ELEMENTS: Final[tuple[Element, ...]] = ("act", "means", "purpose")
FLAG_CODES: Final[tuple[FlagCode, ...]] = (
    "immediate_danger",
    "urgent_medical",
    "child",
    "non_punishment",
)

# The six scored dimensions, in the order of the ILO/EC lists; ACT is listed but never combined.
DIMENSIONS: Final[tuple[str, ...]] = ("DR", "CR", "RV", "EX", "CD", "VD")
ACT: Final = "ACT"
RECRUITMENT_DIMENSIONS: Final[tuple[str, ...]] = ("DR", "CR", "RV")
DESTINATION_DIMENSIONS: Final[tuple[str, ...]] = ("CD", "VD")
URGENT_PREFIX: Final = "URG"

# Interface languages (labels, explanations) and the wider set for interviewee-facing questions.
LANGUAGES: Final[tuple[str, ...]] = ("en", "zh-hans", "es", "el", "nl")
INTERVIEW_LANGUAGES: Final[tuple[str, ...]] = (*LANGUAGES, "vi", "my")
