"""Searching the directory by country, kind of organisation and language."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from haven.directory.models import FocalPoint


@dataclass(frozen=True)
class DirectoryQuery:
    country: str = ""
    kind: str = ""
    language: str = ""
    text: str = ""


def search_focal_points(query: DirectoryQuery) -> QuerySet[FocalPoint]:
    found = FocalPoint.objects.filter(is_active=True).select_related("organisation")
    if query.country:
        found = found.filter(organisation__country=query.country)
    if query.kind:
        found = found.filter(organisation__kind=query.kind)
    if query.text:
        found = found.filter(organisation__name__icontains=query.text) | found.filter(
            name__icontains=query.text
        )
    if query.language:
        # Languages are a short JSON list; filtering in Python keeps SQLite and PostgreSQL alike.
        ids = [
            pk
            for pk, languages in found.values_list("pk", "languages")
            if query.language in languages
        ]
        found = found.filter(pk__in=ids)
    return found.order_by("organisation__country", "organisation__name", "name")
