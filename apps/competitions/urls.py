# Included at the root: this app owns paths under /competitions/ and /me/competitions/.
from django.urls import path, re_path

from . import views

app_name = "competitions"

urlpatterns = [
    path("competitions/", views.competition_list, name="list"),
    path("competitions/<int:pk>/", views.competition_detail, name="detail"),
    path("competitions/winners/", views.winners, name="winners"),
    path("competitions/events/<int:pk>/", views.event_detail, name="event"),
    path("competitions/events/<int:pk>/register/", views.event_register, name="register"),
    path("competitions/events/<int:pk>/results/", views.event_results, name="results"),
    path("competitions/events/<int:pk>/bulk/", views.event_bulk_register, name="bulk"),
    path("competitions/proposals/", views.proposal_public_list, name="proposals"),
    path("competitions/proposals/new/", views.proposal_new, name="proposal_new"),
    path("competitions/proposals/numbers/", views.proposal_numbers, name="proposal_numbers"),
    path("competitions/proposals/attachments/<int:pk>/", views.proposal_attachment, name="proposal_attachment"),
    path("me/competitions/", views.mine, name="mine"),
    path("me/competitions/registrations/<int:pk>/withdraw/", views.registration_withdraw_view, name="withdraw"),
    re_path(r"^me/competitions/proposals/(?P<number>JY\d{4}-\d{6})/$", views.proposal_detail, name="proposal_detail"),
]
