from django.contrib.auth import views as auth_views
from django.urls import path

from haven.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("preferences/", views.preferences, name="preferences"),
    path("language/", views.switch_language, name="switch_language"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/enrol/", views.two_factor_enrol, name="two_factor_enrol"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
]
