"""Agreements, encodings, questions to partners and batch matching. Every action is audited;
nothing but encodings and case references ever crosses between organisations."""

from __future__ import annotations

import threading
from collections.abc import Iterable

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

import haven_link
from haven.accounts.models import Organisation, User
from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.cases.choices import ConsentPurpose, Sex
from haven.cases.models import Case, Consent
from haven.linkage import policy
from haven.linkage.models import EncodedCase, LinkageAgreement, LinkageJob, PossibleMatch

# One question about one person: a fixed threshold (there is no distribution to learn from).
QUERY_THRESHOLD = 0.8
MIN_SECRET_LENGTH = 16
_FEMININE = {Sex.FEMININE, Sex.TRANS_FEMININE}
_MASCULINE = {Sex.MASCULINE, Sex.TRANS_MASCULINE}


class LinkageRefusedError(Exception):
    """A linkage action cannot go ahead; the message says why, in the user's language."""


def _secret(text: str) -> haven_link.LinkageSecret:
    return haven_link.LinkageSecret(text.strip().encode())


@transaction.atomic
def create_agreement(*, actor: User, partner: Organisation, secret: str) -> LinkageAgreement:
    if not policy.may_manage_agreements(actor):
        raise PermissionDenied
    if partner.pk == actor.organisation_id:
        raise ValidationError(_("Choose another organisation than your own."))
    if len(secret.strip().encode()) < MIN_SECRET_LENGTH:
        raise ValidationError(
            _("The shared secret must be at least %(n)s characters long.")
            % {"n": MIN_SECRET_LENGTH}
        )
    agreement, _created = LinkageAgreement.objects.update_or_create(
        organisation=actor.organisation,
        partner=partner,
        defaults={
            "secret": secret.strip(),
            "key_fingerprint": _secret(secret).fingerprint(),
            "created_by": actor,
            "is_active": True,
        },
    )
    # Encodings made under an older secret are useless now.
    agreement.encodings.all().delete()
    record_event(
        AuditEvent.Action.CREATE, actor=actor, object_ref=f"linkage-agreement:{agreement.pk}"
    )
    return agreement


def counterpart(agreement: LinkageAgreement) -> LinkageAgreement | None:
    """The partner's side of the agreement, if it entered the same secret."""
    return LinkageAgreement.objects.filter(
        organisation_id=agreement.partner_id,
        partner_id=agreement.organisation_id,
        key_fingerprint=agreement.key_fingerprint,
        is_active=True,
    ).first()


def _consent_filter(partner: Organisation) -> Q:
    named = Q(organisation__isnull=True) | Q(organisation=partner)
    return (
        Q(purpose__in=[ConsentPurpose.CROSS_BORDER, ConsentPurpose.REFERRAL], organisation=partner)
        | (Q(purpose=ConsentPurpose.LAW_ENFORCEMENT) & named)
    ) & Q(withdrawn_at__isnull=True)


def consenting_cases(organisation: Organisation, partner: Organisation) -> QuerySet[Case]:
    """Cases whose person agreed to sharing with this partner (a referral to it, a transfer
    to it, or sharing with law enforcement): only these are ever encoded or asked about."""
    consents = Consent.objects.filter(_consent_filter(partner))
    return Case.objects.filter(organisation=organisation, consents__in=consents).distinct()


def case_consents_to(case: Case, partner: Organisation) -> bool:
    return case.consents.filter(_consent_filter(partner)).exists()


def _record(case: Case) -> dict[str, str]:
    person = case.person
    sex = "f" if person.sex in _FEMININE else "m" if person.sex in _MASCULINE else ""
    born = person.date_of_birth.isoformat() if person.date_of_birth else ""
    return {
        "id": case.reference,
        "family_name": person.family_name,
        "given_name": person.given_name,
        "name_original": person.name_original,
        "date_of_birth": born,
        "sex": sex,
        "citizenship": (person.citizenships or [""])[0],
    }


def _encoder(agreement: LinkageAgreement) -> haven_link.Encoder:
    return haven_link.Encoder(haven_link.default_schema(), _secret(agreement.secret))


def _encode(agreement: LinkageAgreement, cases: Iterable[Case]) -> haven_link.Encodings:
    return _encoder(agreement).encode([_record(case) for case in cases])


def _stored_encodings(agreement: LinkageAgreement) -> haven_link.Encodings:
    """The partner's encodings as the library takes them (built from stored rows)."""
    rows = list(
        agreement.encodings.order_by("id").values_list("case_reference", "clk", "block_keys")
    )
    schema = haven_link.default_schema()
    words = schema.bits // 64
    raw = b"".join(bytes(clk) for _ref, clk, _keys in rows)
    clks = np.frombuffer(raw, dtype="<u8").reshape(len(rows), words).astype(np.uint64)
    offsets = np.cumsum([0] + [len(keys) for _ref, _clk, keys in rows]).astype(np.int64)
    keys = np.asarray([k for _ref, _clk, ks in rows for k in ks], dtype=np.int64)
    return haven_link.Encodings(
        [ref for ref, _clk, _keys in rows],
        clks,
        offsets,
        keys,
        agreement.key_fingerprint,
        schema.fingerprint,
        schema.name,
        schema.bits,
    )


def _require_partner_ready(agreement: LinkageAgreement) -> LinkageAgreement:
    other = counterpart(agreement)
    if other is None:
        raise LinkageRefusedError(
            _("The partner has not set up this agreement with the same secret yet.")
        )
    if not other.encodings.exists():
        raise LinkageRefusedError(
            _("The partner has not encoded any records for this agreement yet.")
        )
    return other


def _possible_match(
    agreement: LinkageAgreement, own: str, theirs: str, score: float
) -> PossibleMatch:
    found, _created = PossibleMatch.objects.get_or_create(
        requester=agreement.organisation,
        partner=agreement.partner,
        requester_reference=own,
        partner_reference=theirs,
        defaults={"similarity": score},
    )
    return found


@transaction.atomic
def ask_partner(*, actor: User, case: Case, partner: Organisation) -> PossibleMatch | None:
    """Is this person known to the partner? Returns the possible match, or None."""
    if not policy.may_ask(actor) or case.organisation_id != actor.organisation_id:
        raise PermissionDenied
    agreement = LinkageAgreement.objects.filter(
        organisation=actor.organisation, partner=partner, is_active=True
    ).first()
    if agreement is None:
        raise LinkageRefusedError(_("There is no linkage agreement with this partner."))
    if not case_consents_to(case, partner):
        record_event(AuditEvent.Action.DENIED, actor=actor, object_ref=f"case:{case.reference}")
        raise LinkageRefusedError(
            _("The person has not agreed to sharing with this partner: record a consent first.")
        )
    other = _require_partner_ready(agreement)
    ours, theirs = _encode(agreement, [case]), _stored_encodings(other)
    pairs = haven_link.match(ours, theirs, threshold=QUERY_THRESHOLD).id_pairs(ours, theirs)
    record_event(
        AuditEvent.Action.SHARE,
        actor=actor,
        object_ref=f"case:{case.reference}",
        detail={"linkage_query": partner.pk, "possible_match": bool(pairs)},
    )
    if not pairs:
        return None
    _own, their_reference, score = pairs[0]
    return _possible_match(agreement, case.reference, their_reference, score)


def matches_for(organisation: Organisation) -> QuerySet[PossibleMatch]:
    return PossibleMatch.objects.filter(
        Q(requester=organisation) | Q(partner=organisation)
    ).select_related("requester", "partner")


@transaction.atomic
def confirm_match(*, actor: User, match: PossibleMatch, same_person: bool) -> PossibleMatch:
    """Each side checks its own record and says whether it is the same person; references
    are revealed to each other only once both sides confirm."""
    if not policy.may_ask(actor):
        raise PermissionDenied
    locked = PossibleMatch.objects.select_for_update().get(pk=match.pk)
    if actor.organisation_id == locked.requester_id:
        locked.requester_confirmed = same_person
    elif actor.organisation_id == locked.partner_id:
        locked.partner_confirmed = same_person
    else:
        raise PermissionDenied
    if not same_person:
        locked.status = PossibleMatch.Status.REJECTED
    elif locked.requester_confirmed and locked.partner_confirmed:
        locked.status = PossibleMatch.Status.CONFIRMED
    locked.save()
    record_event(
        AuditEvent.Action.DECIDE,
        actor=actor,
        object_ref=f"linkage-match:{locked.pk}",
        detail={"same_person": same_person, "status": locked.status},
    )
    return locked


@transaction.atomic
def start_job(*, actor: User, agreement: LinkageAgreement, kind: str) -> LinkageJob:
    allowed = policy.may_manage_agreements(actor) or (
        kind == LinkageJob.Kind.MATCH and policy.may_ask(actor)
    )
    if not allowed or agreement.organisation_id != actor.organisation_id:
        raise PermissionDenied
    if kind == LinkageJob.Kind.MATCH:
        _require_partner_ready(agreement)
    job = LinkageJob.objects.create(agreement=agreement, kind=kind, started_by=actor)
    record_event(AuditEvent.Action.CREATE, actor=actor, object_ref=f"linkage-job:{job.pk}")
    return job


def run_job(job: LinkageJob) -> LinkageJob:
    """Encode our consenting cases, or match them all against the partner's encodings."""
    agreement = job.agreement
    cases = list(
        consenting_cases(agreement.organisation, agreement.partner).select_related("person")
    )
    LinkageJob.objects.filter(pk=job.pk).update(status=LinkageJob.Status.RUNNING, total=len(cases))
    try:
        if job.kind == LinkageJob.Kind.ENCODE:
            found = _encode_all(job, agreement, cases)
        else:
            found = _match_all(job, agreement, cases)
    except (haven_link.HavenLinkError, LinkageRefusedError) as exc:
        LinkageJob.objects.filter(pk=job.pk).update(
            status=LinkageJob.Status.FAILED, error=str(exc)[:200], finished_at=timezone.now()
        )
    else:
        LinkageJob.objects.filter(pk=job.pk).update(
            status=LinkageJob.Status.DONE, done=len(cases), found=found, finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


_BATCH = 500


def _encode_all(job: LinkageJob, agreement: LinkageAgreement, cases: list[Case]) -> int:
    encoder = _encoder(agreement)
    with transaction.atomic():
        agreement.encodings.all().delete()
        for start in range(0, len(cases), _BATCH):
            batch = cases[start : start + _BATCH]
            rows = []
            for case in batch:
                clk, keys = encoder.encode_one(_record(case))
                rows.append(
                    EncodedCase(
                        agreement=agreement, case_reference=case.reference, clk=clk, block_keys=keys
                    )
                )
            EncodedCase.objects.bulk_create(rows)
            LinkageJob.objects.filter(pk=job.pk).update(done=start + len(batch))
        record_event(
            AuditEvent.Action.UPDATE,
            actor=job.started_by,
            object_ref=f"linkage-agreement:{agreement.pk}",
            detail={"encoded": len(cases)},
        )
    return len(cases)


def _match_all(job: LinkageJob, agreement: LinkageAgreement, cases: list[Case]) -> int:
    other = _require_partner_ready(agreement)
    ours = _encode(agreement, cases)
    theirs = _stored_encodings(other)
    result = haven_link.match(ours, theirs)
    found = 0
    with transaction.atomic():
        for own, their, score in result.id_pairs(ours, theirs):
            _possible_match(agreement, own, their, score)
            found += 1
        record_event(
            AuditEvent.Action.SHARE,
            actor=job.started_by,
            object_ref=f"linkage-agreement:{agreement.pk}",
            detail={"batch_match": len(cases), "possible_matches": found},
        )
    return found


def run_in_background(job_id: int) -> None:
    """The demo's worker: a thread started once the request's transaction commits."""

    def work() -> None:
        from django.db import connection

        try:
            run_job(LinkageJob.objects.get(pk=job_id))
        finally:
            connection.close()

    transaction.on_commit(lambda: threading.Thread(target=work, daemon=True).start())
