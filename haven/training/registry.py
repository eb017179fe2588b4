"""The whole library: the shipped files plus the case studies trainers have published."""

from __future__ import annotations

from haven.training.library import CaseStudy, CaseStudyError, file_library, parse_case_study
from haven.training.models import AuthoredCaseStudy


def authored_study(record: AuthoredCaseStudy, *, complete: bool = True) -> CaseStudy:
    return parse_case_study(
        record.data,
        source=f"authored:{record.slug}",
        complete=complete,
        authored_id=record.pk,
    )


def published_studies() -> list[CaseStudy]:
    studies = []
    files = file_library()
    for record in AuthoredCaseStudy.objects.filter(status=AuthoredCaseStudy.Status.PUBLISHED):
        if record.slug in files:
            continue  # a file always wins; publishing refuses such a slug anyway
        try:
            studies.append(authored_study(record))
        except CaseStudyError:
            # Published studies were valid when published; a later catalogue change may break
            # one, and then it leaves the library rather than breaking the page.
            continue
    return studies


def all_case_studies() -> list[CaseStudy]:
    return [*file_library().values(), *published_studies()]


def get_case_study(slug: str) -> CaseStudy | None:
    files = file_library()
    if slug in files:
        return files[slug]
    record = AuthoredCaseStudy.objects.filter(
        slug=slug, status=AuthoredCaseStudy.Status.PUBLISHED
    ).first()
    if record is None:
        return None
    try:
        return authored_study(record)
    except CaseStudyError:
        return None
