"""Who may see and change a screening: the one place these rules live."""

from __future__ import annotations

from django.db.models import QuerySet

from haven.accounts.models import User
from haven.accounts.roles import Role
from haven.screening.models import Screening

SCREENING_ROLES = (Role.SCREENER, Role.CASE_WORKER, Role.INVESTIGATOR, Role.SUPERVISOR)


def can_screen(user: User) -> bool:
    return user.is_authenticated and user.has_role(*SCREENING_ROLES)


def visible_screenings(user: User) -> QuerySet[Screening]:
    """Screenings hold personal data: only people of the same organisation whose work needs
    it see them. Analysts and trainees see none."""
    if not can_screen(user):
        return Screening.objects.none()
    return Screening.objects.filter(organisation_id=user.organisation_id)


def can_view(user: User, screening: Screening) -> bool:
    return can_screen(user) and screening.organisation_id == user.organisation_id


def can_edit(user: User, screening: Screening) -> bool:
    # Only the interviewer records answers: the evidence is theirs to vouch for.
    return (
        can_view(user, screening)
        and screening.interviewer_id == user.pk
        and screening.status == Screening.Status.IN_PROGRESS
    )
