from django.contrib import admin
from django.urls import path

from . import views

app_name = "workqueues"

urlpatterns = [
    path("", admin.site.admin_view(views.my_queues), name="mine"),
]
