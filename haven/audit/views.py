"""The access history of one object, for the supervisors of the organisation that owns it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from haven.accounts.requests import AuthedRequest
from haven.audit.models import AuditEvent
from haven.audit.services import access_history, record_event
from haven.security.policy import deny, may_see_access_history


@login_required
def object_history(request: AuthedRequest, object_ref: str) -> HttpResponse:
    if not may_see_access_history(request.user, object_ref):
        raise deny(request.user, "audit.view_history", object_ref)
    # Reading who looked at an object is itself a read of that object's record.
    record_event(
        AuditEvent.Action.VIEW,
        actor=request.user,
        object_ref=object_ref,
        detail={"what": "access_history"},
    )
    page = Paginator(access_history(object_ref).select_related(None), 100).get_page(
        request.GET.get("page")
    )
    context = {
        "object_ref": object_ref,
        "page": page,
        "heading": _("Who worked on %(ref)s") % {"ref": object_ref},
    }
    return render(request, "audit/object_history.html", context)
