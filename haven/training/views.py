from __future__ import annotations

import uuid
from dataclasses import dataclass

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haven.accounts.requests import AuthedRequest
from haven.screening.interview import all_item_ids, result_view
from haven.screening.rules import InputError, assess_request, default_catalogue, parse_request
from haven.training import exports, policy, services
from haven.training.forms import CaseStudyForm, StartAttemptForm, WorkshopForm
from haven.training.library import NEXT_STEPS, CaseStudy, CaseStudyError, file_library, text_in
from haven.training.models import Attempt, AuthoredCaseStudy, Workshop
from haven.training.practice import (
    practice_sections,
    study_view,
    transcript_view,
    ui_language,
)
from haven.training.registry import all_case_studies, get_case_study
from haven.training.scoring import Feedback


def _lang(request: AuthedRequest) -> str:
    return ui_language(request.user.language)


def _study(slug: str) -> CaseStudy:
    study = get_case_study(slug)
    if study is None:
        raise Http404
    return study


def _label(item_id: str, lang: str) -> str:
    catalogue = default_catalogue()
    if catalogue.is_urgent_item(item_id):
        return catalogue.urgent_item(item_id).labels[lang]
    return catalogue.indicator(item_id).labels[lang]


@dataclass(frozen=True)
class KeyView:
    indicators: list[tuple[str, str, str]]  # id, label, justification
    outcome: str
    outcome_label: str
    flags: list[tuple[str, str]]
    steps: list[tuple[str, str]]
    learning_points: list[str]


def _key_view(study: CaseStudy, lang: str) -> KeyView:
    catalogue = default_catalogue()
    return KeyView(
        indicators=[
            (i, _label(i, lang), text_in(texts, lang))
            for i, texts in sorted(
                study.key.indicators.items(),
                key=lambda kv: [x.id for x in catalogue.indicators].index(kv[0]),
            )
        ],
        outcome=study.key.outcome,
        outcome_label=catalogue.text(f"label.outcome.{study.key.outcome}", lang),
        flags=[(f, catalogue.text(f"flag.{f}", lang)) for f in study.key.flags],
        steps=[(s, str(NEXT_STEPS[s])) for s in study.key.next_steps],
        learning_points=[text_in(p, lang) for p in study.key.learning_points],
    )


# --- library ---------------------------------------------------------------------------------


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    lang = _lang(request)
    studies = all_case_studies()
    titles = {s.slug: text_in(s.title, lang) for s in studies}
    context: dict[str, object] = {
        "studies": [study_view(s, lang) for s in studies],
        "can_practise": policy.can_practise(user),
        "is_trainer": policy.is_trainer(user),
    }
    if policy.can_practise(user):
        attempts = list(
            Attempt.objects.filter(trainee=user)
            .select_related("workshop")
            .order_by("-started_at")[:100]
        )
        context["attempts"] = [(a, titles.get(a.case_study, a.case_study)) for a in attempts]
        context["workshops"] = policy.visible_workshops(user).select_related("organisation")
    return render(request, "training/home.html", context)


@login_required
def case_study(request: AuthedRequest, slug: str) -> HttpResponse:
    user = request.user
    study = _study(slug)
    lang = _lang(request)
    show_key = policy.can_see_key(user)
    context = {
        "study": study_view(study, lang),
        "transcript": transcript_view(study, lang, with_evidence=show_key),
        "key": _key_view(study, lang) if show_key else None,
        "can_practise": policy.can_practise(user),
        "workshop_id": request.GET.get("workshop", ""),
    }
    return render(request, "training/case_study.html", context)


# --- practice --------------------------------------------------------------------------------


def _workshop_param(request: AuthedRequest, study: CaseStudy) -> Workshop | None:
    raw = request.POST.get("workshop") or request.GET.get("workshop")
    if not raw:
        return None
    try:
        workshop = Workshop.objects.get(pk=int(raw))
    except (ValueError, Workshop.DoesNotExist):
        raise Http404 from None
    if not policy.is_participant(request.user, workshop) or study.slug not in workshop.case_studies:
        raise Http404
    return workshop


@login_required
def start(request: AuthedRequest, slug: str) -> HttpResponse:
    if not policy.can_practise(request.user):
        raise PermissionDenied
    study = _study(slug)
    workshop = _workshop_param(request, study)
    form = StartAttemptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        attempt = services.start_attempt(
            actor=request.user, study=study, workshop=workshop, **form.cleaned_data
        )
        return redirect("training:attempt", attempt_id=attempt.pk)
    context = {
        "study": study_view(study, _lang(request)),
        "form": form,
        "workshop": workshop,
    }
    return render(request, "training/start.html", context)


def _attempt_for(request: AuthedRequest, attempt_id: uuid.UUID) -> Attempt:
    # Someone else's attempt is "not found": a trainee's results are theirs.
    try:
        attempt = Attempt.objects.select_related("workshop", "trainee").get(pk=attempt_id)
    except Attempt.DoesNotExist:
        raise Http404 from None
    if not policy.can_view_attempt(request.user, attempt):
        raise Http404
    return attempt


def _result(attempt: Attempt, lang: str) -> object:
    assessment = assess_request(parse_request(attempt.request_dict()), lang=lang)
    return result_view(assessment, attempt.answers, lang)


@login_required
def attempt_page(request: AuthedRequest, attempt_id: uuid.UUID) -> HttpResponse:
    attempt = _attempt_for(request, attempt_id)
    if not policy.can_edit_attempt(request.user, attempt):
        return redirect("training:feedback", attempt_id=attempt.pk)
    study = _study(attempt.case_study)
    lang = _lang(request)
    context = {
        "attempt": attempt,
        "study": study_view(study, lang),
        "transcript": transcript_view(study, lang, with_evidence=False),
        "lang": lang,
        "other": study.interviewee_language,
        "sections": practice_sections(attempt.answers, lang, study.interviewee_language),
        "result": _result(attempt, lang),
        "steps": [(code, label, code in attempt.next_steps) for code, label in NEXT_STEPS.items()],
    }
    return render(request, "training/attempt.html", context)


@login_required
@require_POST
def attempt_save(request: AuthedRequest, attempt_id: uuid.UUID) -> HttpResponse:
    """Saves the whole form on every change, like the real interview."""
    attempt = _attempt_for(request, attempt_id)
    if not policy.can_edit_attempt(request.user, attempt):
        raise PermissionDenied
    answers = {i: request.POST.get(f"answer-{i}", "unknown") for i in all_item_ids()}
    steps = request.POST.getlist("next_step")
    try:
        services.save_answers(attempt, actor=request.user, answers=answers, next_steps=steps)
    except InputError as exc:
        return render(
            request,
            "screening/_save_error.html",
            {"field": exc.field, "message": exc.message},
            status=400,
        )
    if request.POST.get("finish") == "1":
        study = _study(attempt.case_study)
        services.complete_attempt(attempt, actor=request.user, study=study, next_steps=steps)
        url = reverse("training:feedback", kwargs={"attempt_id": attempt.pk})
        if request.htmx:  # type: ignore[attr-defined]
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("training:attempt", attempt_id=attempt.pk)
    return render(
        request, "screening/_result_panel.html", {"result": _result(attempt, _lang(request))}
    )


@login_required
def feedback(request: AuthedRequest, attempt_id: uuid.UUID) -> HttpResponse:
    attempt = _attempt_for(request, attempt_id)
    if attempt.status != Attempt.Status.COMPLETED:
        if policy.can_edit_attempt(request.user, attempt):
            return redirect("training:attempt", attempt_id=attempt.pk)
        raise Http404
    study = _study(attempt.case_study)
    lang = _lang(request)
    catalogue = default_catalogue()
    result = Feedback.from_dict(attempt.feedback)
    key = _key_view(study, lang)
    justification = {i: text for i, _label_text, text in key.indicators}
    mismatch_labels = {
        "child": _("Whether the person is, or may be, a child"),
        "exploitation": _("The type of exploitation"),
        "met_in_custody": _("Whether the person was met in custody"),
    }
    context = {
        "attempt": attempt,
        "study": study_view(study, lang),
        "fb": result,
        "precision": round(result.precision * 100),
        "recall": round(result.recall * 100),
        "found": [(i, _label(i, lang), justification.get(i, "")) for i in result.found],
        "missed": [(i, _label(i, lang), justification.get(i, "")) for i in result.missed],
        "wrong": [(i, _label(i, lang)) for i in result.wrong],
        "outcome_label": catalogue.text(f"label.outcome.{result.outcome}", lang),
        "expected_outcome_label": key.outcome_label,
        "flags": [catalogue.text(f"flag.{f}", lang) for f in result.flags],
        "expected_flags": [catalogue.text(f"flag.{f}", lang) for f in result.expected_flags],
        "steps_right": [NEXT_STEPS[s] for s in result.steps_right],
        "steps_missed": [NEXT_STEPS[s] for s in result.steps_missed],
        "steps_extra": [NEXT_STEPS[s] for s in result.steps_extra],
        "mismatches": [mismatch_labels[m] for m in result.profile_mismatches],
        "learning_points": key.learning_points,
        "transcript": transcript_view(study, lang, with_evidence=True),
        "is_own": attempt.trainee_id == request.user.pk,
    }
    return render(request, "training/feedback.html", context)


# --- workshops -------------------------------------------------------------------------------


def _workshop_for(request: AuthedRequest, pk: int, *, manage: bool) -> Workshop:
    try:
        workshop = Workshop.objects.select_related("organisation", "trainer").get(pk=pk)
    except Workshop.DoesNotExist:
        raise Http404 from None
    allowed = policy.can_manage_workshop(request.user, workshop) or (
        not manage and policy.is_participant(request.user, workshop)
    )
    if not allowed:
        raise Http404
    return workshop


@login_required
def workshop_list(request: AuthedRequest) -> HttpResponse:
    if not policy.can_practise(request.user):
        raise PermissionDenied
    workshops = policy.visible_workshops(request.user).select_related("organisation", "trainer")
    return render(
        request,
        "training/workshop_list.html",
        {"workshops": workshops, "is_trainer": policy.is_trainer(request.user)},
    )


@login_required
def workshop_form(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    if not policy.is_trainer(request.user):
        raise PermissionDenied
    workshop = _workshop_for(request, pk, manage=True) if pk is not None else None
    initial: dict[str, object] = {"language": request.user.language}
    if workshop is not None:
        initial = {
            "title": workshop.title,
            "date": workshop.date,
            "place": workshop.place,
            "language": workshop.language,
            "participants": list(workshop.participants.all()),
            "case_studies": workshop.case_studies,
        }
    form = WorkshopForm(request.POST or None, initial=initial, lang=_lang(request))
    if request.method == "POST" and form.is_valid():
        workshop = services.save_workshop(
            actor=request.user, workshop=workshop, **form.cleaned_data
        )
        messages.success(request, _("Workshop saved."))
        return redirect("training:workshop", pk=workshop.pk)
    return render(request, "training/workshop_form.html", {"form": form, "workshop": workshop})


@login_required
def workshop_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    workshop = _workshop_for(request, pk, manage=False)
    lang = _lang(request)
    manage = policy.can_manage_workshop(request.user, workshop)
    studies = [s for s in (get_case_study(slug) for slug in workshop.case_studies) if s]
    own = {
        a.case_study: a
        for a in Attempt.objects.filter(workshop=workshop, trainee=request.user).order_by(
            "started_at"
        )
    }
    context = {
        "workshop": workshop,
        "manage": manage,
        "participant": policy.is_participant(request.user, workshop),
        "assigned": [(study_view(s, lang), own.get(s.slug)) for s in studies],
        "progress": exports.progress(workshop) if manage else None,
        "titles": {s.slug: text_in(s.title, lang) for s in studies},
    }
    return render(request, "training/workshop_detail.html", context)


@login_required
def workshop_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    workshop = _workshop_for(request, pk, manage=True)
    return render(
        request,
        "training/_progress.html",
        {"workshop": workshop, "progress": exports.progress(workshop)},
    )


@login_required
def workshop_export(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    workshop = _workshop_for(request, pk, manage=True)
    if kind not in ("participants", "indicators"):
        raise Http404
    services.record_export(workshop, actor=request.user, kind=kind)
    if kind == "participants":
        body = exports.participants_csv(workshop)
    else:
        body = exports.indicators_csv(workshop)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="workshop-{workshop.pk}-{kind}.csv"'
    return response


# --- authoring -------------------------------------------------------------------------------


@login_required
def authoring_list(request: AuthedRequest) -> HttpResponse:
    if not policy.is_trainer(request.user):
        raise PermissionDenied
    records = AuthoredCaseStudy.objects.filter(
        organisation_id=request.user.organisation_id
    ).select_related("author")
    return render(request, "training/authoring_list.html", {"records": records})


def _authored_for(request: AuthedRequest, pk: int) -> AuthoredCaseStudy:
    try:
        record = AuthoredCaseStudy.objects.get(pk=pk)
    except AuthoredCaseStudy.DoesNotExist:
        raise Http404 from None
    if not policy.can_edit_authored(request.user, record):
        raise Http404
    return record


@login_required
def authoring_form(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    if not policy.is_trainer(request.user):
        raise PermissionDenied
    record = _authored_for(request, pk) if pk is not None else None
    initial = CaseStudyForm.initial_from(record.data) if record is not None else {}
    form = CaseStudyForm(request.POST or None, initial=initial, lang=_lang(request))
    if request.method == "POST" and form.is_valid():
        slug = form.cleaned_data["id"]
        taken = AuthoredCaseStudy.objects.filter(slug=slug)
        if record is not None:
            taken = taken.exclude(pk=record.pk)
        if slug in file_library() or taken.exists():
            form.add_error("id", _("This identifier is already used by another case study."))
        else:
            record = services.save_authored(
                actor=request.user, record=record, data=form.cleaned_data["data"]
            )
            messages.success(request, _("Case study saved as a draft."))
            return redirect("training:authoring_edit", pk=record.pk)
    return render(request, "training/authoring_form.html", {"form": form, "record": record})


@login_required
@require_POST
def authoring_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    record = _authored_for(request, pk)
    try:
        services.publish_authored(record, actor=request.user)
    except CaseStudyError as exc:
        messages.error(
            request,
            _("Publishing refused: %(field)s: %(message)s")
            % {"field": exc.field, "message": exc.message},
        )
    except services.PublishRefusedError as exc:
        for disagreement in exc.disagreements:
            if disagreement.what == "outcome":
                text = _(
                    "Publishing refused: the screening engine gives the outcome %(engine)s "
                    "but the key expects %(key)s."
                )
            else:
                text = _(
                    "Publishing refused: the screening engine raises the flags %(engine)s "
                    "but the key expects %(key)s."
                )
            messages.error(
                request,
                text % {"engine": disagreement.engine or "-", "key": disagreement.key or "-"},
            )
    else:
        messages.success(request, _("Published: the case study is now in the library."))
    return redirect("training:authoring_edit", pk=record.pk)


@login_required
def authoring_yaml(request: AuthedRequest, pk: int) -> HttpResponse:
    """The case study as a file, ready to be added to case_studies/ by a developer."""
    record = _authored_for(request, pk)
    body = yaml.safe_dump(record.data, allow_unicode=True, sort_keys=False, width=100)
    response = HttpResponse(body, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{record.slug}.yaml"'
    return response
