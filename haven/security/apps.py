from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "haven.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from haven.security import registrations

        registrations.register()
