"""The errors of the publication package."""

from __future__ import annotations


class PublicationError(Exception):
    """Base class of every error raised by :mod:`haven.stats.publication`."""


class InvalidRecordError(PublicationError, ValueError):
    """A case record holds a value outside the public value lists."""


class InvalidSpecError(PublicationError, ValueError):
    """A table specification, a release request or an export request is malformed."""


class BudgetExceededError(PublicationError):
    """A release would spend more privacy budget than the dataset has left."""
