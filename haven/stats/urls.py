from django.urls import path

from haven.stats import release_views, views

app_name = "stats"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("releases/", release_views.release_list, name="releases"),
    path("budget/", release_views.budget_edit, name="budget"),
    path("releases/<int:release_id>/", release_views.release_detail, name="release"),
    path("releases/<int:release_id>/decide/", release_views.release_decide, name="release_decide"),
    path(
        "releases/<int:release_id>/download/<str:kind>/",
        release_views.release_download,
        name="release_download",
    ),
    path("htcds/", release_views.htcds_export, name="htcds_export"),
    path("k-anonymised/", release_views.kanon_export, name="kanon"),
]
