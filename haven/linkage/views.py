from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haven.accounts.requests import AuthedRequest
from haven.cases.models import Case
from haven.directory.models import FocalPoint
from haven.linkage import policy, services
from haven.linkage.forms import AgreementForm, AskForm
from haven.linkage.models import LinkageAgreement, LinkageJob, PossibleMatch


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    _require(policy.may_see_linkage(request.user))
    org = request.user.organisation
    agreements = [
        (agreement, services.counterpart(agreement) is not None, agreement.encodings.count())
        for agreement in LinkageAgreement.objects.filter(organisation=org).select_related("partner")
    ]
    context = {
        "agreements": agreements,
        "matches": [_match_row(m, org.pk) for m in services.matches_for(org)[:50]],
        "jobs": LinkageJob.objects.filter(agreement__organisation=org).select_related(
            "agreement__partner"
        )[:10],
        "agreement_form": AgreementForm(user=request.user),
        "ask_form": AskForm(user=request.user),
        "can_manage": policy.may_manage_agreements(request.user),
        "can_ask": policy.may_ask(request.user),
    }
    return render(request, "linkage/index.html", context)


def _match_row(match: PossibleMatch, organisation_id: int) -> dict[str, object]:
    """Each side sees its own reference, and the other's only once both have confirmed."""
    we_asked = match.requester_id == organisation_id
    confirmed = match.status == PossibleMatch.Status.CONFIRMED
    return {
        "match": match,
        "other": match.partner if we_asked else match.requester,
        "own_reference": match.requester_reference if we_asked else match.partner_reference,
        "other_reference": (match.partner_reference if we_asked else match.requester_reference)
        if confirmed
        else "",
        "we_confirmed": match.requester_confirmed if we_asked else match.partner_confirmed,
    }


@login_required
@require_POST
def create_agreement(request: AuthedRequest) -> HttpResponse:
    _require(policy.may_manage_agreements(request.user))
    form = AgreementForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.create_agreement(
                actor=request.user,
                partner=form.cleaned_data["partner"],
                secret=form.cleaned_data["secret"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The agreement was saved."))
    else:
        messages.error(request, _("The agreement was not saved: check the partner and the secret."))
    return redirect("linkage:index")


@login_required
@require_POST
def start_job(request: AuthedRequest, agreement_id: int) -> HttpResponse:
    agreement = LinkageAgreement.objects.filter(
        pk=agreement_id, organisation_id=request.user.organisation_id
    ).first()
    if agreement is None:
        raise Http404
    kind = request.POST.get("kind", "")
    if kind not in LinkageJob.Kind.values:
        messages.error(request, _("Unknown kind of job."))
        return redirect("linkage:index")
    try:
        job = services.start_job(actor=request.user, agreement=agreement, kind=kind)
    except services.LinkageRefusedError as exc:
        messages.error(request, str(exc))
        return redirect("linkage:index")
    services.run_in_background(job.pk)
    return redirect("linkage:job", job_id=job.pk)


@login_required
def job_status(request: AuthedRequest, job_id: int) -> HttpResponse:
    _require(policy.may_see_linkage(request.user))
    job = (
        LinkageJob.objects.filter(
            pk=job_id, agreement__organisation_id=request.user.organisation_id
        )
        .select_related("agreement__partner")
        .first()
    )
    if job is None:
        raise Http404
    template = "linkage/_job.html" if request.htmx else "linkage/job.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job})


@login_required
@require_POST
def ask(request: AuthedRequest) -> HttpResponse:
    _require(policy.may_ask(request.user))
    form = AskForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Enter a case reference of your organisation and a partner."))
        return redirect("linkage:index")
    case = (
        Case.objects.filter(
            reference=form.cleaned_data["case_reference"],
            organisation_id=request.user.organisation_id,
        )
        .select_related("person")
        .first()
    )
    if case is None:
        messages.error(request, _("Your organisation has no case with this reference."))
        return redirect("linkage:index")
    partner = form.cleaned_data["partner"]
    try:
        found = services.ask_partner(actor=request.user, case=case, partner=partner)
    except services.LinkageRefusedError as exc:
        messages.error(request, str(exc))
        return redirect("linkage:index")
    if found is None:
        messages.info(
            request,
            _("No match: %(partner)s holds no record of this person.") % {"partner": partner},
        )
    else:
        focal = FocalPoint.objects.filter(organisation=partner, is_active=True).first()
        messages.warning(
            request,
            _(
                "Possible match. Contact the focal point of %(partner)s (%(focal)s) about "
                "reference %(reference)s. Both sides must confirm before any details are "
                "exchanged through a referral."
            )
            % {
                "partner": partner,
                "focal": focal.name if focal else _("see the directory"),
                "reference": case.reference,
            },
        )
    return redirect("linkage:index")


@login_required
@require_POST
def confirm(request: AuthedRequest, match_id: int) -> HttpResponse:
    match = services.matches_for(request.user.organisation).filter(pk=match_id).first()
    if match is None:
        raise Http404
    same = request.POST.get("same_person") == "yes"
    services.confirm_match(actor=request.user, match=match, same_person=same)
    messages.success(request, _("Your answer was recorded."))
    return redirect("linkage:index")
