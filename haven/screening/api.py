"""/api/v1/screening/: the rule engine and its catalogue over HTTP."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from haven.api.errors import ApiError
from haven.screening.rules import (
    INTERVIEW_LANGUAGES,
    LANGUAGES,
    InputError,
    assess_request,
    catalogue_as_dict,
    parse_request,
)

router = Router(tags=["screening"])

_ANSWER = {"type": "string", "enum": ["yes", "no", "unknown"]}
ASSESS_REQUEST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["age", "exploitation"],
    "properties": {
        "age": {"type": ["integer", "null"], "minimum": 0, "maximum": 130},
        "may_be_child": {"type": "boolean"},
        "exploitation": {"type": "string", "enum": ["labour", "sexual", "both"]},
        "met_in_custody": {"type": "boolean"},
        "answers": {"type": "object", "additionalProperties": _ANSWER},
    },
}


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(400, "invalid", _("Some fields are not valid."), {field: message})


def _lang(request: HttpRequest, lang: str | None) -> str:
    chosen = lang or getattr(request.user, "language", None) or "en"
    if chosen not in LANGUAGES:
        raise _invalid("lang", _("Must be one of %(codes)s.") % {"codes": ", ".join(LANGUAGES)})
    return chosen


@router.post(
    "/assess",
    response={200: dict[str, Any], 400: dict[str, Any], 401: dict[str, Any]},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ASSESS_REQUEST_SCHEMA}},
        }
    },
)
def assess(request: HttpRequest, lang: str | None = None) -> dict[str, Any]:
    """Score answers against the indicators; the same result as `haven screen assess`."""
    language = _lang(request, lang)
    try:
        body = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise _invalid("body", _("The body is not valid JSON.")) from None
    try:
        parsed = parse_request(body)
    except InputError as exc:
        raise _invalid(exc.field, exc.message) from None
    return assess_request(parsed, lang=language).to_dict()


@router.get("/catalogue", response={200: dict[str, Any], 400: dict[str, Any], 401: dict[str, Any]})
def catalogue(
    request: HttpRequest, lang: str | None = None, interviewee_lang: str | None = None
) -> dict[str, Any]:
    """The indicator catalogue and interview questions in the requested language."""
    language = _lang(request, lang)
    if interviewee_lang is not None and interviewee_lang not in INTERVIEW_LANGUAGES:
        raise _invalid(
            "interviewee_lang",
            _("Must be one of %(codes)s.") % {"codes": ", ".join(INTERVIEW_LANGUAGES)},
        )
    return catalogue_as_dict(language, interviewee_lang=interviewee_lang)
