from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("language/<str:code>/", views.language_switch, name="language"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("imports/<int:pk>/", views.import_job_page, name="import_job"),
    path("imports/<int:pk>/status.json", views.import_job_status, name="import_job_status"),
]
