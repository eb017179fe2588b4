from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "haven.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        # A broken case-study file is reported by `haven check` (and so at start-up of
        # runserver and migrate) with the file and the field, rather than in front of a class.
        from haven.training import checks  # noqa: F401
