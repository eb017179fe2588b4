from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "haven.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from haven.security.policy import register_owner
        from haven.stats.budgets import dataset_owner

        register_owner("privacy-budget", dataset_owner)
