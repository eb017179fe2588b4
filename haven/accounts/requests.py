"""Request types for views that only signed-in users reach."""

from django.http import HttpRequest

from haven.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User
