from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from haven.directory.forms import DirectorySearchForm
from haven.directory.search import DirectoryQuery, search_focal_points


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    """Focal points are visible to every signed-in user, across organisations: they are the
    professional contacts of the cooperation network, not data about victims."""
    form = DirectorySearchForm(request.GET or None)
    query = form.to_query() if form.is_valid() else DirectoryQuery()
    page = Paginator(search_focal_points(query), 25).get_page(request.GET.get("page"))
    template = "directory/_results.html" if request.htmx else "directory/directory.html"  # type: ignore[attr-defined]
    return render(request, template, {"form": form, "page": page})
