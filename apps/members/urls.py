from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.home, name="home"),
    path("card/", views.card, name="card"),
    path("phone/", views.phone_change, name="phone_change"),
    path("photo/", views.photo_upload, name="photo_upload"),
    path("photo/<int:pk>/<str:size>/", views.photo, name="photo"),
    path("timeline/", views.timeline, name="timeline"),
    path("notifications/", views.notifications, name="notifications"),
]
