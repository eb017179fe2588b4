from django.urls import path

from haven.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("decisions/", views.decisions_queue, name="decisions"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("notifications/", views.notifications, name="notifications"),
    path("export/", views.export_start, name="export"),
    path("export/<int:job_id>/", views.export_status, name="export_status"),
    path("export/<int:job_id>/download/", views.export_download, name="export_download"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/print/", views.case_print, name="print"),
    path("<str:reference>/edit/", views.case_edit, name="edit"),
    path("<str:reference>/decide/", views.case_decide, name="decide"),
    path("<str:reference>/do/<slug:action>/", views.case_transition, name="transition"),
    path("<str:reference>/consents/", views.consent_add, name="consent_add"),
    path(
        "<str:reference>/consents/<int:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("<str:reference>/needs/", views.need_add, name="need_add"),
    path("<str:reference>/services/", views.service_add, name="service_add"),
    path(
        "<str:reference>/services/<int:service_id>/",
        views.service_update,
        name="service_update",
    ),
    path("<str:reference>/notes/", views.note_add, name="note_add"),
    path("<str:reference>/assign/", views.case_assign, name="assign"),
    path("<str:reference>/close/", views.case_close, name="close"),
    path("<str:reference>/reopen/", views.case_reopen, name="reopen"),
    path("<str:reference>/durable-solution/", views.case_durable_solution, name="durable"),
]
