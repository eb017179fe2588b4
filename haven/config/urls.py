from django.contrib import admin
from django.urls import include, path

from haven.api.urls import api

urlpatterns = [
    path("", include("haven.web.urls")),
    path("accounts/", include("haven.accounts.urls")),
    path("directory/", include("haven.directory.urls")),
    path("screening/", include("haven.screening.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler400 = "haven.web.views.bad_request"
handler403 = "haven.web.views.permission_denied"
handler404 = "haven.web.views.page_not_found"
handler500 = "haven.web.views.server_error"
