from django.urls import path

from haven.training import views

app_name = "training"
urlpatterns = [
    path("", views.home, name="home"),
    path("case/<slug:slug>/", views.case_study, name="case_study"),
    path("case/<slug:slug>/practise/", views.start, name="start"),
    path("attempt/<uuid:attempt_id>/", views.attempt_page, name="attempt"),
    path("attempt/<uuid:attempt_id>/save/", views.attempt_save, name="attempt_save"),
    path("attempt/<uuid:attempt_id>/feedback/", views.feedback, name="feedback"),
    path("workshops/", views.workshop_list, name="workshops"),
    path("workshops/new/", views.workshop_form, name="workshop_new"),
    path("workshops/<int:pk>/", views.workshop_detail, name="workshop"),
    path("workshops/<int:pk>/edit/", views.workshop_form, name="workshop_edit"),
    path("workshops/<int:pk>/progress/", views.workshop_progress, name="workshop_progress"),
    path("workshops/<int:pk>/export/<str:kind>.csv", views.workshop_export, name="workshop_export"),
    path("authoring/", views.authoring_list, name="authoring"),
    path("authoring/new/", views.authoring_form, name="authoring_new"),
    path("authoring/<int:pk>/", views.authoring_form, name="authoring_edit"),
    path("authoring/<int:pk>/publish/", views.authoring_publish, name="authoring_publish"),
    path("authoring/<int:pk>/yaml/", views.authoring_yaml, name="authoring_yaml"),
]
