"""Who may do what in training: the one place these rules live.

Reading the library is open to every signed-in person (case studies are invented composites,
not personal data). Practice is for trainees and trainers. Workshops belong to an organisation:
its trainers manage them and see their participants' results. A trainee's attempts and scores
are personal data about that trainee: visible to the trainee and to the trainers of the
workshop the attempt was made in, and to nobody else.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from haven.accounts.models import User
from haven.accounts.roles import Role
from haven.training.models import Attempt, AuthoredCaseStudy, Workshop


def can_read_library(user: User) -> bool:
    return user.is_authenticated


def can_practise(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.TRAINEE, Role.TRAINER)


def is_trainer(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.TRAINER)


def can_see_key(user: User) -> bool:
    """The expert key is shown to trainers; a trainee sees it in the feedback of an attempt."""
    return is_trainer(user)


def visible_workshops(user: User) -> QuerySet[Workshop]:
    if not can_practise(user):
        return Workshop.objects.none()
    condition = Q(participants=user)
    if is_trainer(user):
        condition |= Q(organisation_id=user.organisation_id)
    return Workshop.objects.filter(condition).distinct()


def can_manage_workshop(user: User, workshop: Workshop) -> bool:
    return is_trainer(user) and workshop.organisation_id == user.organisation_id


def is_participant(user: User, workshop: Workshop) -> bool:
    return workshop.participants.filter(pk=user.pk).exists()


def can_view_attempt(user: User, attempt: Attempt) -> bool:
    if attempt.trainee_id == user.pk:
        return True
    return attempt.workshop is not None and can_manage_workshop(user, attempt.workshop)


def can_edit_attempt(user: User, attempt: Attempt) -> bool:
    return attempt.trainee_id == user.pk and attempt.status == Attempt.Status.IN_PROGRESS


def can_edit_authored(user: User, record: AuthoredCaseStudy) -> bool:
    return is_trainer(user) and record.organisation_id == user.organisation_id
