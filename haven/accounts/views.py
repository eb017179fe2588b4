from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from haven.accounts.forms import (
    HavenAuthenticationForm,
    LanguageForm,
    OneTimeCodeForm,
    PreferencesForm,
)
from haven.accounts.models import User
from haven.accounts.requests import AuthedRequest
from haven.audit.models import AuditEvent
from haven.audit.services import record_event
from haven.security import lockout, sessions
from haven.security import two_factor as two_factor_lib

PENDING = "haven_pending_sign_in"
NEW_RECOVERY_CODES = "haven_new_recovery_codes"
PENDING_SECONDS = 300


class LoginView(auth_views.LoginView):
    """Step one: the password. Where a second factor is needed, the person is not signed in
    yet: the session only remembers who passed step one, for five minutes."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    authentication_form = HavenAuthenticationForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not user.needs_two_factor:
            lockout.clear_account(user.get_username())
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
            "at": time.time(),
            "next": self.get_success_url(),
        }
        if two_factor_lib.has_confirmed_device(user):
            return redirect("accounts:two_factor")
        return redirect("accounts:two_factor_enrol")


def _pending_user(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user_id = pending.get("user")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    return user, pending


def _complete_sign_in(request: HttpRequest, user: User, pending: dict[str, Any]) -> None:
    request.session.pop(PENDING, None)
    lockout.clear_account(user.get_username())
    auth_login(request, user, backend=pending["backend"])


def _back_to_login(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Please sign in again."))
    return redirect("accounts:login")


def two_factor(request: HttpRequest) -> HttpResponse:
    """Step two: a code from the authenticator app, or a recovery code."""
    found = _pending_user(request)
    if found is None:
        return _back_to_login(request)
    user, pending = found
    if not two_factor_lib.has_confirmed_device(user):
        return redirect("accounts:two_factor_enrol")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = lockout.client_address(request)
        if lockout.locked_scope(user.get_username(), address) is not None:
            record_event(AuditEvent.Action.LOCKED_OUT, actor=None, detail={"scope": "otp"})
            form.add_error(None, _locked_message())
        elif two_factor_lib.verify_second_factor(user, form.cleaned_data["code"]):
            _complete_sign_in(request, user, pending)
            return HttpResponseRedirect(pending["next"])
        else:
            lockout.record_failure(user.get_username(), address)
            record_event(AuditEvent.Action.OTP_FAILED, actor=None, object_ref=f"user:{user.pk}")
            form.add_error("code", _("That code is not right, or it was already used."))
    context = {
        "form": form,
        "heading": _("Enter your one-time code"),
        "submit_label": _("Continue"),
    }
    return render(request, "accounts/two_factor.html", context)


def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in where a second factor is required: set up an authenticator app."""
    found = _pending_user(request)
    if found is None:
        return _back_to_login(request)
    user, pending = found
    if two_factor_lib.has_confirmed_device(user):
        return redirect("accounts:two_factor")
    device = two_factor_lib.start_enrolment(user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor_lib.confirm_enrolment(device, form.cleaned_data["code"]):
            record_event(AuditEvent.Action.OTP_ENROLLED, actor=user, object_ref=f"user:{user.pk}")
            codes = two_factor_lib.new_recovery_codes(user)
            _complete_sign_in(request, user, pending)
            request.session[NEW_RECOVERY_CODES] = codes
            return redirect("accounts:recovery_codes")
        lockout.record_failure(user.get_username(), lockout.client_address(request))
        form.add_error("code", _("That code is not right. Check the time on your phone."))
    secret = device.secret
    context = {
        "form": form,
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "otpauth_uri": two_factor_lib.provisioning_uri(secret, user.get_username()),
        "heading": _("Set up two-factor sign-in"),
        "submit_label": _("Confirm"),
    }
    return render(request, "accounts/two_factor_enrol.html", context)


@login_required
def recovery_codes(request: AuthedRequest) -> HttpResponse:
    """Shows new recovery codes once; a POST replaces them all."""
    codes = request.session.pop(NEW_RECOVERY_CODES, None)
    if request.method == "POST":
        codes = two_factor_lib.new_recovery_codes(request.user)
        messages.success(request, _("New recovery codes were made; the old ones no longer work."))
    context = {"codes": codes, "heading": _("Recovery codes")}
    return render(request, "accounts/recovery_codes.html", context)


@login_required
def sign_out_everywhere(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        sessions.sign_out_everywhere(request.user)
        auth_logout(request)
        messages.success(
            request, _("You were signed out on every device, and your API tokens were revoked.")
        )
        return redirect("accounts:login")
    context = {"heading": _("Sign out everywhere")}
    return render(request, "accounts/sign_out_everywhere.html", context)


def _locked_message() -> str:
    return _(
        "Too many failed sign-in attempts. Wait %(minutes)s minutes and try again, or ask "
        "your organisation admin for help."
    ) % {"minutes": lockout.minutes_left()}


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("web:home")
    extra_context = {
        "heading": gettext_lazy("Change your password"),
        "submit_label": gettext_lazy("Change password"),
    }

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


@login_required
def preferences(request: AuthedRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.language)
        messages.success(request, _("Your preferences were saved."))
        return redirect("accounts:preferences")
    context = {"form": form, "heading": _("Your preferences"), "submit_label": _("Save")}
    return render(request, "accounts/preferences.html", context)


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """The language switcher: remembered on the account when signed in, in a cookie otherwise."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown language."))
    language = form.cleaned_data["language"]
    target = form.cleaned_data["next"]
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("web:home")
    if request.user.is_authenticated:
        user = request.user
        user.language = language
        user.save(update_fields=["language"])
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
    )
    return response
