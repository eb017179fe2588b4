from django.urls import path

from haven.screening import views

app_name = "screening"
urlpatterns = [
    path("", views.screening_list, name="list"),
    path("start/", views.start, name="start"),
    path("<uuid:screening_id>/", views.interview, name="interview"),
    path("<uuid:screening_id>/save/", views.save, name="save"),
    path("<uuid:screening_id>/result/", views.result, name="result"),
    path("<uuid:screening_id>/refer/", views.refer, name="refer"),
]
