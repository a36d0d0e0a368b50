# Included at the root: this app owns paths under /aid/ and /me/aid/.
from django.urls import path

from . import views

app_name = "aid"

urlpatterns = [
    path("aid/", views.index, name="index"),
    path("aid/apply/<int:type_pk>/", views.apply, name="apply"),
    path("aid/officer/", views.officer, name="officer"),
    path("aid/officer/file/", views.officer_file, name="officer_file"),
    path("aid/documents/<int:pk>/", views.document, name="document"),
    path("aid/health/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("me/aid/", views.mine, name="mine"),
    path("me/aid/<int:pk>/", views.mine_detail, name="mine_detail"),
    path("me/aid/<int:pk>/edit/", views.edit, name="edit"),
]
