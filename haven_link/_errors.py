"""Exceptions raised by haven_link; all derive from HavenLinkError."""


class HavenLinkError(Exception):
    """Base class for errors the caller can report to a person."""


class InputError(HavenLinkError):
    """Input records are unusable: a missing column, an unreadable file or value."""


class SchemaError(HavenLinkError):
    """A linkage schema is malformed, of an unsupported version, or differs between files."""


class KeyMismatchError(HavenLinkError):
    """Encodings were made with different secrets and cannot be compared."""
