from django.urls import path, re_path

from . import views

app_name = "awards"

urlpatterns = [
    path("", views.index, name="index"),
    re_path(r"^photos/(?P<pk>[0-9]+)/(?P<size>full|thumb)\.jpg$", views.photo, name="photo"),
    path("competition-winners/", views.competition_roll, name="competition_roll"),
    path("<slug:slug>/", views.roll, name="roll"),
    path("<slug:slug>/<int:pk>/", views.entry, name="entry"),
]
