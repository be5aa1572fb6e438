from django.urls import include, path

from accounts import views

urlpatterns = [
    path("accounts/", views.overview, name="account_overview"),
    path("accounts/my-data/", views.data_download, name="account_data_download"),
    path("accounts/delete/", views.delete, name="account_delete"),
    path("accounts/", include("allauth.urls")),
]
