from django.urls import path

from . import views

app_name = "stars"

urlpatterns = [
    path("", views.rated_list, name="list"),
    path("demonstration/", views.demonstration, name="demonstration"),
    path("unions/<int:pk>/", views.union_page, name="union"),
    path("assess/", views.assess, name="assess"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("staff/overview/", views.overview, name="overview"),
]
