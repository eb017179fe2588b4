"""Roles people hold in Haven, and the groups of roles that rules refer to."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SCREENER = "screener", _("Screener")
    CASE_WORKER = "caseworker", _("Case worker")
    SUPERVISOR = "supervisor", _("Supervisor (competent authority)")
    INVESTIGATOR = "investigator", _("Investigator")
    ANALYST = "analyst", _("Analyst")
    TRAINER = "trainer", _("Trainer")
    TRAINEE = "trainee", _("Trainee")
    ORG_ADMIN = "orgadmin", _("Organisation admin")
    SYSTEM_ADMIN = "sysadmin", _("System admin")


# Roles whose work needs personal data about victims; analysts and trainees never see it.
PERSONAL_DATA_ROLES = frozenset(
    {Role.SCREENER, Role.CASE_WORKER, Role.SUPERVISOR, Role.INVESTIGATOR}
)
