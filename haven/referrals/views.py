"""Referral pages: inbox, sending, answering, the shared view, transfer packages and keys."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haven.accounts.requests import AuthedRequest
from haven.cases import policy as case_policy
from haven.cases.models import Case
from haven.cases.policy import CaseError, InvalidInputError
from haven.cases.shared_display import shared_lines
from haven.cases.sharing import SHAREABLE_FIELDS, case_data
from haven.referrals import keycards, policy, services, transfer
from haven.referrals.forms import (
    DeclineForm,
    ImportForm,
    KeyCardForm,
    ReferralForm,
    TransferForm,
)
from haven.referrals.models import OrganisationKeyPair, Referral


def _referral(request: AuthedRequest, referral_id: int) -> Referral:
    referral = (
        Referral.objects.select_related(
            "case", "case__person", "case__organisation", "to_organisation", "from_organisation"
        )
        .filter(pk=referral_id)
        .first()
    )
    if referral is None or not policy.may_see_referral(request.user, referral):
        raise Http404
    return referral


def _owned_case(request: AuthedRequest, reference: str) -> Case:
    case = (
        Case.objects.select_related("person", "organisation")
        .filter(reference=reference.upper())
        .first()
    )
    if case is None or not case_policy.owns(request.user, case):
        raise Http404
    try:
        case_policy.require_case_work(request.user, case)
    except case_policy.NotAllowedError:
        raise PermissionDenied from None
    return case


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    if not case_policy.may_see_cases(request.user):
        raise PermissionDenied
    received = list(policy.inbox(request.user).select_related("case", "from_organisation")[:200])
    sent = list(
        Referral.objects.filter(from_organisation_id=request.user.organisation_id)
        .filter(case__in=case_policy.visible_cases(request.user))
        .select_related("case", "to_organisation")[:200]
    )
    return render(
        request,
        "referrals/inbox.html",
        {
            "received": received,
            "sent": sent,
            "may_import": request.user.has_role(*case_policy.CASE_WORK_ROLES),
            "may_manage_keys": policy.may_manage_keys(request.user),
        },
    )


@login_required
def create(request: AuthedRequest, reference: str) -> HttpResponse:
    case = _owned_case(request, reference)
    form = ReferralForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            referral = services.send_referral(
                case,
                actor=request.user,
                to_organisation=d["to_organisation"],
                purpose=d["purpose"],
                consent=d["consent"],
                fields=d["shared_fields"],
                message=d["message"],
            )
        except CaseError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The referral was sent."))
            return redirect("referrals:detail", referral_id=referral.pk)
    return render(request, "referrals/referral_form.html", {"case": case, "form": form})


@login_required
def detail(request: AuthedRequest, referral_id: int) -> HttpResponse:
    referral = _referral(request, referral_id)
    receiving = referral.to_organisation_id == request.user.organisation_id
    data = None
    if receiving and referral.status == Referral.Status.ACCEPTED:
        services.record_shared_view(request.user, referral, channel="web")
        data = case_data(referral.case, referral.fields)
    labels = [SHAREABLE_FIELDS[f] for f in referral.fields if f in SHAREABLE_FIELDS]
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "receiving": receiving,
            "data": data,
            "shared_lines": shared_lines(data) if data else [],
            "field_labels": labels,
            "may_answer": receiving
            and referral.status == Referral.Status.PENDING
            and policy.may_answer(request.user, referral),
            "decline_form": DeclineForm(),
        },
    )


@login_required
def print_form(request: AuthedRequest, referral_id: int) -> HttpResponse:
    """The referral form as sent: what the sender shared, for the paper file."""
    referral = _referral(request, referral_id)
    receiving = referral.to_organisation_id == request.user.organisation_id
    if receiving and referral.status != Referral.Status.ACCEPTED:
        raise Http404
    services.record_shared_view(request.user, referral, channel="print")
    return render(
        request,
        "referrals/referral_print.html",
        {
            "referral": referral,
            "shared_lines": shared_lines(case_data(referral.case, referral.fields)),
            "printed_at": timezone.now(),
        },
    )


@login_required
@require_POST
def accept(request: AuthedRequest, referral_id: int) -> HttpResponse:
    referral = _referral(request, referral_id)
    try:
        services.accept_referral(referral, actor=request.user)
    except CaseError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The referral was accepted."))
    return redirect("referrals:detail", referral_id=referral.pk)


@login_required
@require_POST
def decline(request: AuthedRequest, referral_id: int) -> HttpResponse:
    referral = _referral(request, referral_id)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the referral is declined."))
        return redirect("referrals:detail", referral_id=referral.pk)
    try:
        services.decline_referral(referral, actor=request.user, reason=form.cleaned_data["reason"])
    except CaseError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The referral was declined."))
    return redirect("referrals:detail", referral_id=referral.pk)


@login_required
def transfer_export(request: AuthedRequest, reference: str) -> HttpResponse:
    case = _owned_case(request, reference)
    form = TransferForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            package = transfer.export_package(
                case,
                actor=request.user,
                to_organisation=d["to_organisation"],
                consent=d["consent"],
                fields=d["shared_fields"],
            )
        except CaseError as exc:
            form.add_error(None, exc.message)
        else:
            response = HttpResponse(package.content, content_type="application/json")
            response["Content-Disposition"] = f'attachment; filename="{package.filename}"'
            return response
    return render(request, "referrals/transfer_form.html", {"case": case, "form": form})


@login_required
def transfer_import(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_role(*case_policy.CASE_WORK_ROLES):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["package"]
        try:
            if upload.size > transfer.MAX_PACKAGE_BYTES:
                raise transfer.TransferError(_("The file is too large to be a transfer package."))
            case = transfer.import_package(upload.read(), actor=request.user)
        except (CaseError, InvalidInputError) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("The package was verified and imported as case %(reference)s.")
                % {"reference": case.reference},
            )
            return redirect(case.get_absolute_url())
    return render(request, "referrals/transfer_import.html", {"form": form})


def _keys_page(request: AuthedRequest, card_form: KeyCardForm, status: int = 200) -> HttpResponse:
    own = OrganisationKeyPair.objects.filter(organisation_id=request.user.organisation_id)
    partners = OrganisationKeyPair.objects.filter(partner=True).select_related("organisation")
    active = transfer.active_key(request.user.organisation_id)
    return render(
        request,
        "referrals/keys.html",
        {
            "pairs": own,
            "partners": partners,
            "card_form": card_form,
            "active": active,
            "spoken": keycards.spoken(active.fingerprint) if active else "",
            "confirm_digits": keycards.CONFIRM_DIGITS,
        },
        status=status,
    )


@login_required
def keys(request: AuthedRequest) -> HttpResponse:
    if not policy.may_manage_keys(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            transfer.generate_key_pair(request.user.organisation, actor=request.user)
        except CaseError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("A new key pair was made; the old one was retired."))
        return redirect("referrals:keys")
    return _keys_page(request, KeyCardForm())


@login_required
def key_card(request: AuthedRequest) -> HttpResponse:
    """Your organisation's public key card, to send to a partner installation's admin."""
    if not policy.may_manage_keys(request.user):
        raise PermissionDenied
    pair = transfer.active_key(request.user.organisation_id)
    if pair is None:
        raise Http404
    response = HttpResponse(keycards.card_for(pair), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="haven-key-card.json"'
    return response


@login_required
def register_card(request: AuthedRequest) -> HttpResponse:
    if not policy.may_manage_keys(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    form = KeyCardForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            card = keycards.parse_card(d["card"].read(keycards.MAX_CARD_BYTES + 1))
            pair = keycards.register_partner_key(
                card,
                actor=request.user,
                confirmed_fingerprint=d["fingerprint"],
                organisation=d["organisation"],
                kind=d["kind"],
            )
        except CaseError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("The key of %(organisation)s was registered.")
                % {"organisation": pair.organisation.name},
            )
            return redirect("referrals:keys")
    return _keys_page(request, form, status=400)
