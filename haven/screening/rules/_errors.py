"""Exception types of the screening rules package."""


class ScreeningError(Exception):
    """Base class of every error raised by :mod:`haven.screening.rules`."""


class CatalogueError(ScreeningError):
    """The indicator catalogue data is missing, malformed or inconsistent."""

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}")


class InputError(ScreeningError, ValueError):
    """A screening request is invalid; ``field`` names the offending input (``answers.DR-99``)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")
