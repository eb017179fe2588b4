from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from haven.api.urls import api

# The admin's own sign-in form would skip the second factor: send it through Haven's.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", include("haven.web.urls")),
    path("accounts/", include("haven.accounts.urls")),
    path("directory/", include("haven.directory.urls")),
    path("cases/", include("haven.cases.urls")),
    path("referrals/", include("haven.referrals.urls")),
    path("screening/", include("haven.screening.urls")),
    path("stats/", include("haven.stats.urls")),
    path("linkage/", include("haven.linkage.urls")),
    path("audit/", include("haven.audit.urls")),
    path("training/", include("haven.training.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler400 = "haven.web.views.bad_request"
handler403 = "haven.web.views.permission_denied"
handler404 = "haven.web.views.page_not_found"
handler500 = "haven.web.views.server_error"
