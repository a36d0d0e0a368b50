"""The benchmark's references, served by the same processes and middleware as the portal.

(b) `floor`: the bytes of the home page, from memory: what Django costs with nothing to do.
(c) `db_page`: 20 of the members with `select_related` and a template extending base.html:
    a realistic database page.
"""

from pathlib import Path

from django.http import HttpResponse
from django.shortcuts import render

from apps.members.models import Member

FLOOR_FILE = Path(__file__).resolve().parent / "out" / "floor.html"
_floor: list[bytes] = []


def floor(request):
    if not _floor:
        _floor.append(FLOOR_FILE.read_bytes() if FLOOR_FILE.exists() else b"<!doctype html><p>floor</p>")
    return HttpResponse(_floor[0], content_type="text/html; charset=utf-8")


def db_page(request):
    members = Member.objects.select_related("union", "town_street").order_by("-id")[:20]
    return render(request, "bench/db_page.html", {"members": members})
