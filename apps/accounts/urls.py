from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("claim/", views.claim, name="claim"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/change/", views.password_change, name="password_change"),
]
