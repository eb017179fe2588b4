from django.urls import path

from haven.directory import views

app_name = "directory"
urlpatterns = [path("", views.directory, name="search")]
