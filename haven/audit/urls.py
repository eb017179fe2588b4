from django.urls import path

from haven.audit import views

app_name = "audit"
urlpatterns = [path("<path:object_ref>/", views.object_history, name="object_history")]
