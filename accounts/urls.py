from django.urls import include, path

from accounts import views

urlpatterns = [
    path("accounts/", views.overview, name="account_overview"),
    path("accounts/my-data/", views.data_download, name="account_data_download"),
    path("accounts/delete/", views.delete, name="account_delete"),
    path("accounts/", include("allauth.urls")),
    # Same path as Wagtail's own view (wagtail.urls, included after the apps'
    # URLs), so the password forms of protected pages post here.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        views.page_password,
        name="account_page_password",
    ),
]
