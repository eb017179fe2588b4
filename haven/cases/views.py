"""Case pages. Thin: policy check -> service -> template; no .save() here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haven.accounts.models import Organisation, User
from haven.accounts.requests import AuthedRequest
from haven.accounts.roles import Role
from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.cases import exports, policy, services
from haven.cases.choices import ConsentPurpose, ExploitationType, FirstContact, RiskLevel, Stage
from haven.cases.deadlines import case_deadlines, deadlines_for
from haven.cases.forms import (
    CaseFilterForm,
    CaseForm,
    CloseForm,
    ConsentForm,
    DecisionForm,
    DurableSolutionForm,
    ExportForm,
    NeedForm,
    NoteForm,
    ReopenForm,
    ServiceForm,
    ServiceStatusForm,
)
from haven.cases.models import Case, Consent, ExportJob, Notification, Service
from haven.cases.notifications import render_message
from haven.cases.pagination import CappedPaginator
from haven.cases.policy import CaseError, InvalidInputError
from haven.cases.search import CaseQuery, search_cases
from haven.cases.shared_display import shared_lines
from haven.cases.sharing import case_data
from haven.cases.timeline import describe

PAGE_SIZE = 25


def _case(request: AuthedRequest, reference: str) -> tuple[Case, policy.Access]:
    case = (
        Case.objects.select_related("person", "organisation", "assigned_to", "created_by")
        .filter(reference=reference.upper())
        .first()
    )
    if case is None:
        raise Http404
    found = policy.access(request.user, case)
    if not found.any:
        raise Http404
    return case, found


def _owned(request: AuthedRequest, reference: str) -> Case:
    case, found = _case(request, reference)
    if not found.full:
        raise PermissionDenied
    return case


def _attempt(request: AuthedRequest, action: Callable[[], Any], success: str) -> bool:
    """Run a service; show its refusal as a message. True when it worked."""
    try:
        action()
    except InvalidInputError as exc:
        messages.error(request, exc.message)
        return False
    except CaseError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


def _back(case: Case, anchor: str = "") -> HttpResponseRedirect:
    return redirect(case.get_absolute_url() + (f"#{anchor}" if anchor else ""))


# --- lists ---------------------------------------------------------------------------------


def _organisation_choices(request: AuthedRequest) -> list[tuple[int, str]]:
    from haven.referrals.models import Referral

    own = (request.user.organisation_id, request.user.organisation.name)
    partners = (
        Organisation.objects.filter(
            referrals_sent__to_organisation_id=request.user.organisation_id,
            referrals_sent__status=Referral.Status.ACCEPTED,
        )
        .distinct()
        .values_list("pk", "name")
    )
    return [own, *partners]


@login_required
def case_list(request: AuthedRequest) -> HttpResponse:
    if not policy.may_see_cases(request.user):
        raise PermissionDenied
    form = CaseFilterForm(request.GET or None, organisations=_organisation_choices(request))
    query = CaseQuery()
    if form.is_valid():
        query = CaseQuery(
            q=form.cleaned_data["q"],
            stage=form.cleaned_data["stage"],
            country=form.cleaned_data["country"],
            deadline=form.cleaned_data["deadline"],
            organisation=form.cleaned_data["organisation"],
        )
    page = CappedPaginator(search_cases(request.user, query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if query.is_name_search:
        record_event(
            AuditEvent.Action.VIEW,
            actor=request.user,
            object_ref="cases:search",
            detail={"kind": "name", "found": [c.reference for c in page.object_list]},
        )
    params = request.GET.copy()
    params.pop("page", None)
    # Labels translated once per page, not three times per row.
    stages = {k: str(v) for k, v in Stage.choices}
    contacts = {k: str(v) for k, v in FirstContact.choices}
    risks = {k: str(v) for k, v in RiskLevel.choices}
    rows = [
        (case, stages[case.stage], contacts.get(case.first_contact, ""), risks[case.risk_level])
        for case in page.object_list
    ]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "shared_list": query.organisation not in (None, request.user.organisation_id),
        "query_string": params.urlencode(),
        "today": timezone.localdate(),
        "may_create": policy.may_create_case(request.user),
    }
    template = "cases/_case_rows.html" if request.htmx else "cases/case_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def decisions_queue(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_role(policy.Role.SUPERVISOR) or not policy.may_see_cases(request.user):
        raise PermissionDenied
    cases = policy.visible_cases(request.user).select_related("assigned_to")
    waiting_rg = cases.filter(stage=Stage.REFERRED).order_by("rg_due", "id")[:200]
    waiting_cg = cases.filter(
        stage__in=[Stage.REASONABLE_GROUNDS, Stage.RECOVERY_REFLECTION]
    ).order_by("reflection_ends", "id")[:200]
    return render(
        request,
        "cases/decisions.html",
        {"waiting_rg": waiting_rg, "waiting_cg": waiting_cg, "today": timezone.localdate()},
    )


@login_required
def deadlines(request: AuthedRequest) -> HttpResponse:
    if not policy.may_see_cases(request.user):
        raise PermissionDenied
    scope = "organisation" if request.GET.get("scope") == "organisation" else "mine"
    return render(
        request,
        "cases/deadlines.html",
        {"deadlines": deadlines_for(request.user, scope=scope), "scope": scope},
    )


@login_required
def notifications(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        Notification.objects.filter(recipient=request.user, read=False).update(read=True)
        return redirect("cases:notifications")
    items = Notification.objects.filter(recipient=request.user)[:100]
    rows = [(n, render_message(n.message_key, n.params)) for n in items]
    return render(request, "cases/notifications.html", {"rows": rows})


# --- create and read -------------------------------------------------------------------------


@login_required
def case_create(request: AuthedRequest) -> HttpResponse:
    if not policy.may_create_case(request.user):
        raise PermissionDenied
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.create_case(form.to_input(), actor=request.user)
        except InvalidInputError as exc:
            form.add_error(None, exc.message)
        except CaseError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Case %(reference)s was opened.") % {"reference": case.reference}
            )
            return redirect(case.get_absolute_url())
    return render(request, "cases/case_form.html", {"form": form})


@login_required
def case_edit(request: AuthedRequest, reference: str) -> HttpResponse:
    case = _owned(request, reference)
    try:
        policy.require_case_work(request.user, case)
    except policy.NotAllowedError:
        raise PermissionDenied from None
    services.record_view(request.user, case, channel="web")
    form = CaseForm(request.POST or None, initial=CaseForm.initial_for(case))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_case_details(case, form.to_input(), actor=request.user)
        except CaseError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The details were saved."))
            return redirect(case.get_absolute_url())
    return render(request, "cases/case_form.html", {"form": form, "case": case})


@login_required
def case_detail(request: AuthedRequest, reference: str) -> HttpResponse:
    case, found = _case(request, reference)
    if not found.full:
        services.record_view(request.user, case, channel="web", shared=True)
        return render(
            request,
            "cases/case_shared.html",
            {"case": case, "shared_lines": shared_lines(case_data(case, found.fields))},
        )
    services.record_view(request.user, case, channel="web")
    user = request.user
    consents = list(case.consents.select_related("organisation", "recorded_by"))
    today = timezone.localdate()
    may_work = True
    try:
        policy.require_case_work(user, case)
    except policy.NotAllowedError:
        may_work = False
    from haven.referrals.models import Referral

    referrals = list(
        Referral.objects.filter(case=case).select_related("to_organisation", "consent")
    )
    context = {
        "case": case,
        "person": case.person,
        "documents": list(case.person.documents.all()),
        "route": list(case.route.all()),
        "decisions": list(case.decisions.select_related("decided_by")),
        "consents": consents,
        "needs": list(case.needs.all()),
        "services": list(case.services.select_related("provider")),
        "referrals": referrals,
        "timeline": [(e, describe(e)) for e in case.timeline.select_related("author")[:100]],
        "deadlines": case_deadlines(case),
        "transitions": services.allowed_transitions(user, case),
        "exploitation": _exploitation_labels(case),
        "may_work": may_work,
        "may_decide": policy.may_decide(user, case)
        and case.stage in (Stage.REFERRED, Stage.REASONABLE_GROUNDS, Stage.RECOVERY_REFLECTION),
        "may_reopen": case.stage == Stage.CLOSED and _may_reopen(user, case),
        "workers": _workers(user, case),
        "days_left": case.reflection_days_left(today),
        "reflection_running": case.stage != Stage.CLOSED and case.reflection_running(today),
        "consent_form": ConsentForm(initial={"given_on": today}),
        "need_form": NeedForm(),
        "service_form": ServiceForm(),
        "status_form": ServiceStatusForm(),
        "note_form": NoteForm(),
        "close_form": CloseForm(),
        "reopen_form": ReopenForm(),
        "durable_form": DurableSolutionForm(),
        "may_choose_solution": case.stage
        in (Stage.ASSISTANCE, Stage.CONCLUSIVE_GROUNDS, Stage.RECOVERY_REFLECTION),
        "has_transfer_consent": any(
            c.is_active and c.purpose == ConsentPurpose.CROSS_BORDER for c in consents
        ),
    }
    return render(request, "cases/case_detail.html", context)


def _exploitation_labels(case: Case) -> list[str]:
    labels = dict(ExploitationType.choices)
    return [str(labels.get(value, value)) for value in case.exploitation_types]


def _workers(user: User, case: Case) -> list[User]:
    """The case workers a case may be assigned to, for those who may assign it."""
    if not user.has_role(Role.CASE_WORKER, Role.SUPERVISOR) or case.stage == Stage.CLOSED:
        return []
    return list(
        User.objects.filter(
            organisation_id=case.organisation_id,
            is_active=True,
            role_grants__role=Role.CASE_WORKER,
        ).order_by("username")[:100]
    )


def _may_reopen(user: Any, case: Case) -> bool:
    try:
        policy.require_reopen(user, case)
    except policy.NotAllowedError:
        return False
    return True


@login_required
def case_print(request: AuthedRequest, reference: str) -> HttpResponse:
    case = _owned(request, reference)
    services.record_view(request.user, case, channel="print")
    return render(
        request,
        "cases/case_print.html",
        {
            "case": case,
            "person": case.person,
            "route": list(case.route.all()),
            "decisions": list(case.decisions.all()),
            "consents": list(case.consents.select_related("organisation")),
            "needs": list(case.needs.all()),
            "services": list(case.services.select_related("provider")),
            "printed_at": timezone.now(),
            "exploitation": _exploitation_labels(case),
        },
    )


# --- changes --------------------------------------------------------------------------------


@login_required
@require_POST
def case_transition(request: AuthedRequest, reference: str, action: str) -> HttpResponse:
    case = _owned(request, reference)
    _attempt(
        request,
        lambda: services.run_transition(action, case, actor=request.user),
        _("The case moved on."),
    )
    return _back(case)


@login_required
def case_decide(request: AuthedRequest, reference: str) -> HttpResponse:
    case = _owned(request, reference)
    if not policy.may_decide(request.user, case):
        raise PermissionDenied
    services.record_view(request.user, case, channel="web")
    initial_kind = "reasonable_grounds" if case.stage == Stage.REFERRED else "conclusive_grounds"
    form = DecisionForm(
        request.POST or None, initial={"kind": initial_kind, "decided_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(
            request,
            lambda: services.record_decision(
                case,
                actor=request.user,
                kind=d["kind"],
                outcome=d["outcome"],
                reasons=d["reasons"],
                decided_on=d["decided_on"],
            ),
            _("The decision was recorded."),
        ):
            return _back(case)
    return render(request, "cases/decision_form.html", {"case": case, "form": form})


@login_required
@require_POST
def consent_add(request: AuthedRequest, reference: str) -> HttpResponse:
    case = _owned(request, reference)
    form = ConsentForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        _attempt(
            request,
            lambda: services.record_consent(
                case,
                actor=request.user,
                purpose=d["purpose"],
                explained_in=d["explained_in"],
                given_on=d["given_on"],
                organisation=d["organisation"],
            ),
            _("The consent was recorded."),
        )
    else:
        messages.error(request, _("The consent form has errors; nothing was saved."))
    return _back(case, "consents")


@login_required
@require_POST
def consent_withdraw(request: AuthedRequest, reference: str, consent_id: int) -> HttpResponse:
    case = _owned(request, reference)
    consent = get_object_or_404(Consent, case=case, pk=consent_id)
    _attempt(
        request,
        lambda: services.withdraw_consent(consent, actor=request.user),
        _("The consent was withdrawn."),
    )
    return _back(case, "consents")


@login_required
@require_POST
def need_add(request: AuthedRequest, reference: str) -> HttpResponse:
    case = _owned(request, reference)
    form = NeedForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        _attempt(
            request,
            lambda: services.add_needs_assessment(case, actor=request.user, **d),
            _("The needs assessment was recorded."),
        )
    else:
        messages.error(request, _("The needs form has errors; nothing was saved."))
    return _back(case, "needs")


@login_required
@require_POST
def service_add(request: AuthedRequest, reference: str) -> HttpResponse:
    case = _owned(request, reference)
    form = ServiceForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        _attempt(
            request,
            lambda: services.add_service(case, actor=request.user, **d),
            _("The service was added to the plan."),
        )
    else:
        messages.error(request, _("The service form has errors; nothing was saved."))
    return _back(case, "services")


@login_required
@require_POST
def service_update(request: AuthedRequest, reference: str, service_id: int) -> HttpResponse:
    case = _owned(request, reference)
    service = get_object_or_404(Service, case=case, pk=service_id)
    form = ServiceStatusForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        _attempt(
            request,
            lambda: services.update_service(
                service, actor=request.user, status=d["status"], outcome=d["outcome"]
            ),
            _("The service was updated."),
        )
    return _back(case, "services")


@login_required
@require_POST
def note_add(request: AuthedRequest, reference: str) -> HttpResponse:
    case = _owned(request, reference)
    form = NoteForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.add_note(case, actor=request.user, text=form.cleaned_data["text"]),
            _("The note was added."),
        )
    return _back(case, "timeline")


@login_required
@require_POST
def case_assign(request: AuthedRequest, reference: str) -> HttpResponse:
    case = _owned(request, reference)
    worker = User.objects.filter(
        pk=request.POST.get("worker") or 0, organisation_id=case.organisation_id
    ).first()
    if worker is None:
        messages.error(request, _("Choose a case worker of the owning organisation."))
        return _back(case)
    _attempt(
        request,
        lambda: services.assign_case(case, actor=request.user, worker=worker),
        _("The case was assigned."),
    )
    return _back(case)


@login_required
@require_POST
def case_close(request: AuthedRequest, reference: str) -> HttpResponse:
    case = _owned(request, reference)
    form = CloseForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        _attempt(
            request,
            lambda: services.close_case(
                case, actor=request.user, reason=d["reason"], note=d["note"]
            ),
            _("The case was closed."),
        )
    return _back(case)


@login_required
@require_POST
def case_reopen(request: AuthedRequest, reference: str) -> HttpResponse:
    case = _owned(request, reference)
    form = ReopenForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.reopen_case(
                case, actor=request.user, reasons=form.cleaned_data["reasons"]
            ),
            _("The case was re-opened."),
        )
    else:
        messages.error(request, _("Say why the case is re-opened."))
    return _back(case)


@login_required
@require_POST
def case_durable_solution(request: AuthedRequest, reference: str) -> HttpResponse:
    case = _owned(request, reference)
    form = DurableSolutionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        _attempt(
            request,
            lambda: services.choose_durable_solution(
                case,
                actor=request.user,
                solution=d["solution"],
                requested_by_person=d["requested_by_person"],
            ),
            _("The durable solution was recorded."),
        )
    return _back(case)


# --- exports ----------------------------------------------------------------------------------


@login_required
def export_start(request: AuthedRequest) -> HttpResponse:
    if not policy.may_export(request.user):
        raise PermissionDenied
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        query = CaseQuery.from_dict(
            {k: request.POST.get(k, "") for k in ("q", "stage", "country", "deadline")}
        )
        job = exports.start_export(request.user, fmt=form.cleaned_data["format"], query=query)
        exports.run_in_background(job.pk)
        return redirect("cases:export_status", job_id=job.pk)
    jobs = ExportJob.objects.filter(requested_by=request.user)[:10]
    return render(
        request,
        "cases/export.html",
        {"form": form, "jobs": jobs, "filters": request.GET},
    )


def _job(request: AuthedRequest, job_id: int) -> ExportJob:
    return get_object_or_404(ExportJob, pk=job_id, requested_by=request.user)


@login_required
def export_status(request: AuthedRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    job.expire_if_due()
    template = "cases/_export_progress.html" if request.htmx else "cases/export_status.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job})


@login_required
def export_download(request: AuthedRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    if job.expire_if_due() or job.status == ExportJob.Status.EXPIRED:
        return render(request, "cases/export_status.html", {"job": job}, status=410)
    if job.status != ExportJob.Status.DONE:
        raise Http404
    record_event(
        AuditEvent.Action.EXPORT,
        actor=request.user,
        object_ref=f"export:{job.pk}",
        detail={"downloaded": True, "format": job.format},
    )
    content_type = (
        "text/csv; charset=utf-8"
        if job.format == ExportJob.Format.CSV
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(exports.job_content(job), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="haven-cases-{job.pk}.{job.format}"'
    return response
