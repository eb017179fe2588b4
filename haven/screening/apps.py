from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "haven.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        # Load and validate the indicator catalogue at start-up: a broken catalogue must stop
        # the service, not surface in the middle of an interview.
        from haven.screening.rules import default_catalogue

        default_catalogue()
