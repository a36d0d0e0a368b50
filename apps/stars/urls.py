from django.urls import path

from . import views

app_name = "stars"

urlpatterns = [
    path("", views.demonstration, name="demonstration"),
]
