"""The result of a screening: immutable, with a JSON-ready ``to_dict``."""

from collections.abc import Mapping
from dataclasses import dataclass

from ._types import Exploitation, FlagCode, Outcome, Profile, Status


@dataclass(frozen=True, slots=True)
class DimensionResult:
    status: Status
    present: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"status": self.status, "present": list(self.present)}


@dataclass(frozen=True, slots=True)
class Elements:
    """The Palermo elements: True, False, or None where the answers cannot settle it yet."""

    act: bool | None
    means: bool | None
    purpose: bool | None

    def to_dict(self) -> dict[str, object]:
        return {"act": self.act, "means": self.means, "purpose": self.purpose}


@dataclass(frozen=True, slots=True)
class Flag:
    code: FlagCode
    message: str

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class Assessment:
    profile: Profile
    exploitation: Exploitation
    outcome: Outcome
    dimensions: Mapping[str, DimensionResult]
    acts_present: tuple[str, ...]
    elements: Elements
    missing: tuple[str, ...]
    explanation: tuple[str, ...]
    flags: tuple[Flag, ...]
    # Outcome of every indicator set scored (two of them when exploitation is "both").
    scored: Mapping[Profile, Outcome]
    lang: str
    catalogue_version: str
    engine_version: str

    def has_flag(self, code: FlagCode) -> bool:
        return any(flag.code == code for flag in self.flags)

    def to_dict(self) -> dict[str, object]:
        return {
            "profile": self.profile,
            "exploitation": self.exploitation,
            "outcome": self.outcome,
            "dimensions": {code: d.to_dict() for code, d in self.dimensions.items()},
            "acts_present": list(self.acts_present),
            "elements": self.elements.to_dict(),
            "missing": list(self.missing),
            "explanation": list(self.explanation),
            "flags": [flag.to_dict() for flag in self.flags],
            "scored": dict(self.scored),
            "lang": self.lang,
            "catalogue_version": self.catalogue_version,
            "engine_version": self.engine_version,
        }
