from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "haven.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from haven.accounts import signals  # noqa: F401  (connects the sign-in audit)
