# Included at the root: this app owns paths under /counselling/ and /me/counselling/.
from django.urls import path

from . import views

app_name = "counselling"

urlpatterns = [
    path("counselling/", views.index, name="index"),
    path("counselling/studios/<int:pk>/", views.studio, name="studio"),
    path("counselling/request/", views.anonymous_request, name="request"),
    path("counselling/request/thanks/", views.request_thanks, name="request_thanks"),
    path("me/counselling/", views.mine, name="mine"),
    path("me/counselling/book/<int:slot_pk>/", views.book, name="book"),
    path("me/counselling/<int:pk>/cancel/", views.cancel, name="cancel"),
]
