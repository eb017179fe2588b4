from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haven.accounts.requests import AuthedRequest
from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.screening import policy, services
from haven.screening.forms import ReferForm, StartScreeningForm
from haven.screening.hooks import ReferralRefusedError
from haven.screening.interview import all_item_ids, interview_sections, result_view
from haven.screening.models import Screening
from haven.screening.rules import InputError


def _screening_for(request: AuthedRequest, screening_id: str) -> Screening:
    # Another organisation's screening is "not found", not "forbidden": its existence is private.
    try:
        screening = Screening.objects.select_related("interviewer").get(pk=screening_id)
    except (Screening.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not policy.can_view(request.user, screening):
        raise Http404
    return screening


@login_required
def screening_list(request: AuthedRequest) -> HttpResponse:
    if not policy.can_screen(request.user):
        raise PermissionDenied
    found = policy.visible_screenings(request.user).select_related("interviewer")
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    return render(request, "screening/list.html", {"page": page})


@login_required
def start(request: AuthedRequest) -> HttpResponse:
    if not policy.can_screen(request.user):
        raise PermissionDenied
    initial = {"interview_language": request.user.language}
    form = StartScreeningForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        screening = services.start_screening(actor=request.user, **data)
        return redirect("screening:interview", screening_id=screening.pk)
    return render(request, "screening/start.html", {"form": form})


def _answers_from(request: AuthedRequest) -> tuple[dict[str, str], dict[str, str]]:
    answers: dict[str, str] = {}
    notes: dict[str, str] = {}
    for item_id in all_item_ids():
        value = request.POST.get(f"answer-{item_id}", "unknown")
        answers[item_id] = value
        note = request.POST.get(f"note-{item_id}", "")
        if note:
            notes[item_id] = note[:2000]
    return answers, notes


@login_required
def interview(request: AuthedRequest, screening_id: str) -> HttpResponse:
    screening = _screening_for(request, screening_id)
    if not policy.can_edit(request.user, screening):
        return redirect("screening:result", screening_id=screening.pk)
    record_event(AuditEvent.Action.VIEW, actor=request.user, object_ref=screening.object_ref)
    assessment = services.assess_screening(screening, screening.interview_language)
    context = {
        "screening": screening,
        "sections": interview_sections(screening),
        "result": result_view(assessment, screening.answers, screening.interview_language),
    }
    return render(request, "screening/interview.html", context)


@login_required
@require_POST
def save(request: AuthedRequest, screening_id: str) -> HttpResponse:
    """Saves the whole form on every change, so an answer lost to a dropped connection is
    sent again with the next one."""
    screening = _screening_for(request, screening_id)
    if not policy.can_edit(request.user, screening):
        raise PermissionDenied
    answers, notes = _answers_from(request)
    try:
        services.save_answers(screening, actor=request.user, answers=answers, notes=notes)
    except InputError as exc:
        return render(
            request,
            "screening/_save_error.html",
            {"field": exc.field, "message": exc.message},
            status=400,
        )
    finish = request.POST.get("finish") == "1"
    if finish:
        services.complete_screening(screening, actor=request.user)
        if request.htmx:  # type: ignore[attr-defined]
            response = HttpResponse(status=204)
            response["HX-Redirect"] = screening_result_url(screening)
            return response
        return redirect("screening:result", screening_id=screening.pk)
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, _("Answers saved. You can come back to this screening later."))
        return redirect("screening:interview", screening_id=screening.pk)
    assessment = services.assess_screening(screening, screening.interview_language)
    context = {
        "screening": screening,
        "result": result_view(assessment, screening.answers, screening.interview_language),
    }
    return render(request, "screening/_result_panel.html", context)


def screening_result_url(screening: Screening) -> str:
    from django.urls import reverse

    return reverse("screening:result", kwargs={"screening_id": screening.pk})


@login_required
def result(request: AuthedRequest, screening_id: str) -> HttpResponse:
    screening = _screening_for(request, screening_id)
    record_event(AuditEvent.Action.VIEW, actor=request.user, object_ref=screening.object_ref)
    lang = request.user.language
    assessment = services.assess_screening(screening, lang)
    context = {
        "screening": screening,
        "result": result_view(assessment, screening.answers, lang),
        "refer_form": ReferForm(),
        "can_refer": screening.status == Screening.Status.COMPLETED
        and screening.outcome in ("trafficking", "possible_trafficking"),
    }
    return render(request, "screening/result.html", context)


@login_required
@require_POST
def refer(request: AuthedRequest, screening_id: str) -> HttpResponse:
    screening = _screening_for(request, screening_id)
    details: dict[str, str] = {}
    if not screening.case_reference:
        form = ReferForm(request.POST)
        if not form.is_valid():
            for error in form.errors.values():
                messages.error(request, " ".join(str(e) for e in error))
            return redirect("screening:result", screening_id=screening.pk)
        details = form.cleaned_data
    try:
        reference = services.refer_for_identification(
            screening, actor=request.user, details=details
        )
    except services.ReferralUnavailableError:
        messages.error(request, _("Case management is not available on this instance."))
        return redirect("screening:result", screening_id=screening.pk)
    except ReferralRefusedError as exc:
        messages.error(request, str(exc))
        return redirect("screening:result", screening_id=screening.pk)
    messages.success(
        request,
        _("Referred for identification as case %(reference)s.") % {"reference": reference},
    )
    return redirect("screening:result", screening_id=screening.pk)
