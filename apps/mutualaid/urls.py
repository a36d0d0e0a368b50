# Included at the root: this app owns paths under /mutualaid/ and /me/mutualaid/.
from django.urls import path, register_converter

from . import views


class ClaimNumberConverter:
    regex = r"HZ\d{4}-\d{6}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ClaimNumberConverter, "claim_number")

app_name = "mutualaid"

urlpatterns = [
    path("mutualaid/claim/", views.claim_new, name="claim"),
    path("mutualaid/receipts/<int:pk>/", views.receipt, name="receipt"),
    path("mutualaid/numbers/", views.numbers, name="numbers"),
    path("me/mutualaid/", views.mine, name="mine"),
    path("me/mutualaid/<claim_number:number>/", views.detail, name="detail"),
]
