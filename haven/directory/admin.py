from django.contrib import admin

from haven.directory.models import FocalPoint


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin[FocalPoint]):
    list_display = ["name", "organisation", "role_title", "channel", "is_active"]
    list_filter = ["organisation__country", "organisation__kind", "channel", "is_active"]
    search_fields = ["name", "organisation__name"]
