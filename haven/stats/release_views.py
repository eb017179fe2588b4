from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haven.accounts.requests import AuthedRequest
from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.stats import budgets, releases
from haven.stats.forms import BudgetForm, KAnonForm, ReleaseForm
from haven.stats.htcds_io import export_bytes
from haven.stats.models import BudgetChange, Release
from haven.stats.publication import PublicationError, k_anonymise
from haven.stats.records import publication_record, rows_for
from haven.stats.scope import may_see_stats, organisations_in_scope


def _require_stats(request: AuthedRequest) -> None:
    if not may_see_stats(request.user):
        raise PermissionDenied


@login_required
def release_list(request: AuthedRequest) -> HttpResponse:
    _require_stats(request)
    form = ReleaseForm(request.POST or None)
    if request.method == "POST":
        if not releases.may_compute(request.user):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                release = releases.create_release(
                    actor=request.user,
                    title=data["title"],
                    tables=form.table_dimensions(),
                    epsilon=data["epsilon"],
                    mechanism=data["mechanism"],
                    delta=data["delta"],
                )
            except releases.ReleaseRefusedError as exc:
                messages.error(request, _("The release was refused: %(reason)s") % {"reason": exc})
            else:
                return redirect("stats:release", release_id=release.pk)
    dataset = releases.dataset_of(request.user)
    context = {
        "form": form,
        "releases": releases.visible_releases(request.user),
        "ledger": releases.ledger_for(dataset),
        "can_compute": releases.may_compute(request.user),
        "can_set_budget": budgets.may_set_budget(request.user),
    }
    return render(request, "stats/releases.html", context)


@login_required
def budget_edit(request: AuthedRequest) -> HttpResponse:
    """The dataset's total privacy budget, what was spent, and its changes: organisation
    admins and supervisors of the dataset's organisation only (audited refusal otherwise)."""
    dataset = budgets.require_budget(request.user, "stats.budget.view")
    ledger = releases.ledger_for(dataset)
    initial = {"epsilon": ledger.epsilon_budget, "delta": ledger.delta_budget}
    form = BudgetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            budgets.set_budget(
                actor=request.user,
                epsilon=data["epsilon"],
                delta=data["delta"],
                reason=data["reason"],
            )
        except budgets.BudgetChangeRefusedError as refused:
            for field, message in refused.errors.items():
                form.add_error(field or None, message)
        else:
            messages.success(request, _("The privacy budget was changed."))
            return redirect("stats:budget")
    changes = BudgetChange.objects.filter(dataset=dataset).select_related("changed_by")[:50]
    context = {"form": form, "ledger": ledger, "changes": changes}
    return render(request, "stats/budget.html", context)


def _release(request: AuthedRequest, release_id: int) -> Release:
    _require_stats(request)
    release = releases.visible_releases(request.user).filter(pk=release_id).first()
    if release is None:
        raise Http404
    return release


@login_required
def release_detail(request: AuthedRequest, release_id: int) -> HttpResponse:
    release = _release(request, release_id)
    context = {
        "release": release,
        "can_decide": releases.may_approve(request.user, release)
        and release.status == Release.Status.DRAFT,
    }
    return render(request, "stats/release.html", context)


@login_required
@require_POST
def release_decide(request: AuthedRequest, release_id: int) -> HttpResponse:
    release = _release(request, release_id)
    releases.decide_release(
        actor=request.user, release=release, approve=request.POST.get("approve") == "yes"
    )
    return redirect("stats:release", release_id=release.pk)


@login_required
def release_download(request: AuthedRequest, release_id: int, kind: str) -> HttpResponse:
    release = _release(request, release_id)
    if kind not in ("csv", "charts"):
        raise Http404
    if release.status != Release.Status.APPROVED:
        raise PermissionDenied
    record_event(AuditEvent.Action.EXPORT, actor=request.user, object_ref=f"release:{release.pk}")
    if kind == "csv":
        response = HttpResponse(releases.release_csv(release), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="release-{release.pk}.csv"'
    else:
        response = HttpResponse(releases.chart_pack(release), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="release-{release.pk}-charts.zip"'
    return response


@login_required
def htcds_export(request: AuthedRequest) -> HttpResponse:
    """The data standard, for analysts and supervisors, of their organisations only: no
    names, no dates, no identifiers (see haven.stats.records)."""
    _require_stats(request)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    data, count = export_bytes(organisations_in_scope(request.user), fmt)
    record_event(
        AuditEvent.Action.EXPORT,
        actor=request.user,
        object_ref="htcds-export",
        detail={"rows": count, "format": fmt},
    )
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if fmt == "xlsx"
        else "text/csv"
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="haven-htcds.{fmt}"'
    return response


@login_required
def kanon_export(request: AuthedRequest) -> HttpResponse:
    """The k-anonymised microdata: shown with its report, downloadable as CSV."""
    _require_stats(request)
    form = KAnonForm(request.GET or None)
    report = None
    if form.is_valid():
        records = [
            publication_record(row) for row in rows_for(organisations_in_scope(request.user))
        ]
        try:
            export = k_anonymise(records, k=form.cleaned_data["k"])
        except PublicationError as exc:
            messages.error(request, str(exc))
        else:
            report = export.report
            if request.GET.get("download") == "csv":
                import io

                from haven.stats.htcds import write_csv

                text = io.StringIO()
                write_csv(export.rows, text, columns=export.columns, allow_generalised=True)
                record_event(
                    AuditEvent.Action.EXPORT,
                    actor=request.user,
                    object_ref="k-anonymised-export",
                    detail={"k": report.k, "rows": report.rows_published},
                )
                response = HttpResponse(text.getvalue().encode("utf-8"), content_type="text/csv")
                response["Content-Disposition"] = 'attachment; filename="haven-k-anonymised.csv"'
                return response
    return render(request, "stats/kanon.html", {"form": form, "report": report})
