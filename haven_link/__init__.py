"""haven_link: cross-border person matching for Haven, with or without sharing names.

Privacy-preserving linkage: each agency encodes its records with ``encode_records`` under
a secret shared only between the two agencies; the matching party runs ``match`` on the
encodings and never sees names or the secret. Within one agency, ``dedupe`` clusters
clear-text records with an EM-estimated Fellegi-Sunter model.
"""

from ._dates import DateOfBirth, date_from_age, parse_date
from ._distributed import match_distributed
from ._encode import Encoder, encode_records
from ._encodings import ENCODING_FORMAT, Encodings, load_encodings, save_encodings
from ._errors import HavenLinkError, InputError, KeyMismatchError, SchemaError
from ._fellegi_sunter import ClearMatches, FellegiSunterModel, dedupe, dedupe_clear, link_clear
from ._keys import LinkageSecret
from ._match import MatchResult, match, score_candidates
from ._names import PersonName, normalise_name
from ._schema import SCHEMA_FORMAT, Schema, default_schema, load_schema, parse_schema
from ._threshold import otsu_threshold, valley_threshold

__all__ = [
    "ENCODING_FORMAT",
    "SCHEMA_FORMAT",
    "ClearMatches",
    "DateOfBirth",
    "Encoder",
    "Encodings",
    "FellegiSunterModel",
    "HavenLinkError",
    "InputError",
    "KeyMismatchError",
    "LinkageSecret",
    "MatchResult",
    "PersonName",
    "Schema",
    "SchemaError",
    "date_from_age",
    "dedupe",
    "dedupe_clear",
    "default_schema",
    "encode_records",
    "link_clear",
    "load_encodings",
    "load_schema",
    "match",
    "match_distributed",
    "normalise_name",
    "otsu_threshold",
    "parse_date",
    "parse_schema",
    "save_encodings",
    "score_candidates",
    "valley_threshold",
]
