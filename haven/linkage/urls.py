from django.urls import path

from haven.linkage import views

app_name = "linkage"
urlpatterns = [
    path("", views.index, name="index"),
    path("agreements/", views.create_agreement, name="create_agreement"),
    path("agreements/<int:agreement_id>/jobs/", views.start_job, name="start_job"),
    path("jobs/<int:job_id>/", views.job_status, name="job"),
    path("ask/", views.ask, name="ask"),
    path("matches/<int:match_id>/confirm/", views.confirm, name="confirm"),
]
