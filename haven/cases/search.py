"""Finding cases: by reference, by exact (normalised) name or document number through the
blind indexes, by stage, country, organisation and deadline. Lists show references only."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from haven.accounts.models import User
from haven.cases import policy
from haven.cases.choices import Stage
from haven.cases.models import Case, IdentityDocument, Person, name_index

REFERENCE = re.compile(r"^HVN-\d{4}-\d{1,9}$", re.IGNORECASE)
DUE_SOON_DAYS = 7
# More people share one exact name than this only in synthetic data.
MAX_NAME_MATCHES = 5000


@dataclass(frozen=True)
class CaseQuery:
    q: str = ""
    stage: str = ""
    country: str = ""
    deadline: str = ""  # "", "due_soon" or "overdue"
    organisation: int | None = None  # None: the user's own organisation

    def as_dict(self) -> dict[str, object]:
        return {
            "q": self.q,
            "stage": self.stage,
            "country": self.country,
            "deadline": self.deadline,
            "organisation": self.organisation,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> CaseQuery:
        org = data.get("organisation")
        return cls(
            q=str(data.get("q") or ""),
            stage=str(data.get("stage") or ""),
            country=str(data.get("country") or ""),
            deadline=str(data.get("deadline") or ""),
            organisation=int(str(org)) if org else None,
        )

    @property
    def is_name_search(self) -> bool:
        return bool(self.q.strip()) and not REFERENCE.match(self.q.strip())


def _shared_with(user: User, organisation_id: int) -> QuerySet[Case]:
    from haven.referrals.models import Referral

    if not policy.may_see_cases(user):
        return Case.objects.none()
    case_ids = Referral.objects.filter(
        to_organisation_id=user.organisation_id,
        from_organisation_id=organisation_id,
        status=Referral.Status.ACCEPTED,
    ).values("case_id")
    return Case.objects.filter(organisation_id=organisation_id, pk__in=case_ids)


def search_cases(user: User, query: CaseQuery) -> QuerySet[Case]:
    own = query.organisation is None or query.organisation == user.organisation_id
    cases = (
        policy.visible_cases(user) if own else _shared_with(user, query.organisation)  # type: ignore[arg-type]
    )
    text = query.q.strip()
    if text and REFERENCE.match(text):
        cases = cases.filter(reference=text.upper())
    elif text:
        if not own:
            # Names were perhaps not shared: a name search would reveal them.
            return Case.objects.none()
        # Resolve the blind indexes to person ids first: exact matches are few, and an id
        # list lets the database use the person_id index instead of scanning the
        # organisation's cases against a subquery.
        people = list(
            Person.objects.filter(
                Q(family_name_index=name_index(text, "person.family_name"))
                | Q(given_name_index=name_index(text, "person.given_name"))
                | Q(name_original_index=name_index(text, "person.name_original"))
            ).values_list("pk", flat=True)[:MAX_NAME_MATCHES]
        )
        people += IdentityDocument.objects.filter(
            number_index=name_index(text, "person.document_number")
        ).values_list("person_id", flat=True)[:MAX_NAME_MATCHES]
        found = cases.filter(person_id__in=sorted(set(people))).values_list("pk", flat=True)
        cases = Case.objects.filter(pk__in=list(found[:MAX_NAME_MATCHES]))
    if query.stage and query.stage in Stage.values:
        cases = cases.filter(stage=query.stage)
    if query.country:
        cases = cases.filter(citizenship=query.country.upper())
    today = timezone.localdate()
    if query.deadline == "overdue":
        cases = cases.filter(
            Q(rg_due__lt=today, stage=Stage.REFERRED)
            | Q(reflection_ends__lt=today, stage=Stage.RECOVERY_REFLECTION)
        )
    elif query.deadline == "due_soon":
        soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
        cases = cases.filter(
            Q(rg_due__range=(today, soon), stage=Stage.REFERRED)
            | Q(reflection_ends__range=(today, soon), stage=Stage.RECOVERY_REFLECTION)
        )
    return cases.select_related("assigned_to").order_by("-id")
