"""The portal's URLs and, beside them, the benchmark's two references."""

from django.urls import path

from yiwu_union.urls import urlpatterns as portal

from . import references

urlpatterns = [
    path("bench/floor/", references.floor, name="bench-floor"),
    path("bench/db-page/", references.db_page, name="bench-db-page"),
    *portal,
]
