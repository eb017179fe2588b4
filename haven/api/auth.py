"""API authentication: a bearer token from POST /auth/token, or the browser's session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from haven.accounts.models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.find_valid(token)
        if found is None:
            return None
        request.user = found.user
        return found.user


# Session requests are checked for CSRF by SessionAuth itself.
api_auth = [BearerToken(), SessionAuth()]
