"""The member portal's award pages: a member's honours, an officer's nominations."""

from django.urls import path, re_path

from . import portal_views as views

app_name = "awards_portal"

urlpatterns = [
    path("me/honours/", views.my_honours, name="my_honours"),
    path("me/nominations/", views.nominations, name="nominations"),
    path("me/nominations/new/<int:programme_pk>/", views.nomination_new, name="nomination_new"),
    path("me/nominations/<int:pk>/", views.nomination_detail, name="nomination"),
    path("me/nominations/<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
    path("me/nominations/<int:pk>/submit/", views.nomination_submit, name="nomination_submit"),
    path("me/nominations/<int:pk>/withdraw/", views.nomination_withdraw, name="nomination_withdraw"),
    path("me/nominations/<int:pk>/files/<int:file_pk>/withdraw/", views.nomination_file_withdraw,
         name="nomination_file_withdraw"),
    re_path(r"^me/nominations/(?P<pk>[0-9]+)/photo\.jpg$", views.nomination_photo, name="nomination_photo"),
]
