from django.urls import path

from . import views

app_name = "innovation"

urlpatterns = [
    path("", views.showcase, name="showcase"),
    path("apply/", views.apply, name="apply"),
    path("mine/", views.mine, name="mine"),
    path("applications/<int:pk>/", views.detail, name="detail"),
    path("applications/<int:pk>/edit/", views.apply, name="edit"),
    path("applications/<int:pk>/report/", views.report_new, name="report"),
    path("plans/<int:pk>/", views.plan_file, name="plan"),
    path("studios/", views.studios, name="studios"),
    path("studios/<int:pk>/", views.studio, name="studio"),
    path("numbers/", views.numbers, name="numbers"),
]
