"""The Django admin, for system admins only (see haven.web.admin_site)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Organisation, RoleGrant, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "country", "city", "kind"]
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
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Haven"), {"fields": ("organisation", "language", "time_zone")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Haven"), {"fields": ("organisation", "language", "time_zone")}),
    )
