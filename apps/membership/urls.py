from django.urls import path

from . import views

app_name = "membership"

# Included at the site root: the full paths are spelled here.
urlpatterns = [
    path("join/", views.join, name="join"),
    path("join/status/", views.join_status, name="join_status"),
    path("join/employers/", views.employer_search, name="employer_search"),
    path("me/profile/", views.profile, name="profile"),
    path("me/profile/change/", views.profile_change, name="profile_change"),
    path("me/profile/change/<int:pk>/cancel/", views.profile_change_cancel, name="profile_change_cancel"),
    path("me/transfer/", views.transfer, name="transfer"),
    path("me/transfer/<int:pk>/cancel/", views.transfer_cancel, name="transfer_cancel"),
]
