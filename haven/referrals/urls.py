from django.urls import path

from haven.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:referral_id>/", views.detail, name="detail"),
    path("<int:referral_id>/print/", views.print_form, name="print"),
    path("<int:referral_id>/accept/", views.accept, name="accept"),
    path("<int:referral_id>/decline/", views.decline, name="decline"),
    path("case/<str:reference>/new/", views.create, name="create"),
    path("case/<str:reference>/transfer/", views.transfer_export, name="transfer_export"),
    path("transfers/import/", views.transfer_import, name="transfer_import"),
    path("keys/", views.keys, name="keys"),
    path("keys/card/", views.key_card, name="key_card"),
    path("keys/register/", views.register_card, name="register_card"),
]
