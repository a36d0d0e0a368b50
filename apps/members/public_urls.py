from django.urls import path

from . import views

app_name = "cards"

urlpatterns = [
    path("verify/<str:token>/", views.card_verify, name="verify"),
    path("verify/<str:token>/photo/", views.card_photo, name="photo"),
]
