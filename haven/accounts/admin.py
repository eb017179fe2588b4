"""The Django admin, for system admins only (see haven.web.admin_site)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Organisation, RoleGrant, User
from haven.audit.models import AuditEvent
from haven.audit.services import record_event


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "country", "city", "kind", "two_factor_required", "retention_days"]
    list_filter = ["country", "kind"]
    search_fields = ["name", "city"]


class RoleGrantInline(admin.TabularInline[RoleGrant, User]):
    model = RoleGrant
    extra = 1


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "organisation", "is_active", "is_superuser"]
    list_filter = ["organisation__country", "organisation", "is_active", "role_grants__role"]
    inlines = [RoleGrantInline]
    actions = ["reset_two_factor"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Haven"), {"fields": ("organisation", "language", "time_zone")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Haven"), {"fields": ("organisation", "language", "time_zone")}),
    )

    @admin.action(description=_("Reset two-factor sign-in (lost phone and recovery codes)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        from haven.security.models import RecoveryCode, TwoFactorDevice

        for user in queryset:
            with transaction.atomic():
                TwoFactorDevice.objects.filter(user=user).delete()
                RecoveryCode.objects.filter(user=user).delete()
                record_event(
                    AuditEvent.Action.UPDATE,
                    actor=request.user,
                    object_ref=f"user:{user.pk}",
                    detail={"what": "two_factor_reset"},
                )
        self.message_user(
            request, _("They will set up an authenticator app at their next sign-in.")
        )
