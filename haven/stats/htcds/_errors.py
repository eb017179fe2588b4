"""The errors of the HTCDS package."""

from __future__ import annotations


class HtcdsError(Exception):
    """Base class of every error raised by :mod:`haven.stats.htcds`."""


class HtcdsFormatError(HtcdsError):
    """The file as a whole cannot be read: empty, or a header with unknown or repeated columns."""


class HtcdsWriteError(HtcdsError):
    """A row given to a writer holds a value the standard does not allow."""
