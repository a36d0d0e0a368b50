# Included at the root: this app owns paths under /rights/ and /me/rights/.
from django.urls import path, register_converter

from . import views


class CaseNumberConverter:
    regex = r"WQ\d{4}-\d{6}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CaseNumberConverter, "case_number")

app_name = "rights"

urlpatterns = [
    path("rights/new/", views.case_new, name="new"),
    path("rights/employers/", views.employer_search, name="employer_search"),
    path("rights/status/", views.status, name="status"),
    path("rights/status/forget/", views.status_forget, name="status_forget"),
    path("rights/status/<case_number:number>/", views.status_detail, name="status_detail"),
    path("rights/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("me/rights/", views.mine, name="mine"),
    path("me/rights/<case_number:number>/", views.detail, name="detail"),
]
