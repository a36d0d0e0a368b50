from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("export/<slug:panel_id>/", views.export, name="export_panel"),
    path("report/", views.report, name="report"),
    path("report/xlsx/", views.report_xlsx, name="report_xlsx"),
    path("report/pdf/", views.report_pdf_download, name="report_pdf"),
]
