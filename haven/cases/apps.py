from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "haven.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from haven.cases import retention
        from haven.security.erasure import register_erasable
        from haven.security.policy import register_owner

        register_owner("case", retention.case_owner)
        register_erasable("case", retention.erase_case, retention.expired_cases)
        # Screening reaches case management through hooks, so that it never imports this app.
        if not apps.is_installed("haven.screening"):
            return
        from haven.cases import from_screening
        from haven.screening import hooks

        hooks.register_referral_handler(from_screening.refer_screening)
        hooks.screening_completed.connect(
            from_screening.on_screening_completed, dispatch_uid="cases.non_punishment"
        )
