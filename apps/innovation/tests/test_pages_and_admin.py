"""Query counts of the showcase and the admin changelists, and every admin page opens."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from apps.innovation.models import (
    Application,
    Place,
    ProgressReport,
    Residency,
    Review,
    Reviewer,
    Stage,
    Status,
    Studio,
    StudioRecognition,
    TeamMember,
)
from tests.factories import EmployerFactory, MemberFactory, StaffFactory

from .conftest import add_reviewer

pytestmark = pytest.mark.django_db


def grow(call, count):
    """`count` resident, published projects with a report each and a studio each (bulk)."""
    start = Application.objects.count()
    leads = MemberFactory.create_batch(count)
    apps = Application.objects.bulk_create([
        Application(call=call, lead=lead, employer=lead.employer, project_name=f"项目{start + n}",
                    industry=call.industries.first(), summary="简介" * 10, stage=Stage.PRODUCT,
                    status=Status.ADMITTED, publish_consent=True, public_summary="公开简介",
                    submitted_at=timezone.now())
        for n, lead in enumerate(leads)
    ])
    TeamMember.objects.bulk_create([TeamMember(application=a, name=a.lead.name, member=a.lead, is_lead=True) for a in apps])
    places = Place.objects.bulk_create([Place(space=call.space, name=f"P{start + n}") for n in range(count)])
    today = timezone.localdate()
    residencies = Residency.objects.bulk_create([
        Residency(application=a, place=p, starts_on=today - datetime.timedelta(days=120),
                  ends_on=today + datetime.timedelta(days=240)) for a, p in zip(apps, places)
    ])
    ProgressReport.objects.bulk_create([
        ProgressReport(residency=r, year=r.starts_on.year, quarter=(r.starts_on.month - 1) // 3 + 1, milestones="x")
        for r in residencies
    ])
    employer = EmployerFactory()
    studios = Studio.objects.bulk_create([
        Studio(name=f"工作室{start + n}", kind=Studio.Kind.CRAFTSMAN, leader_name="王工匠", employer=employer)
        for n in range(count)
    ])
    StudioRecognition.objects.bulk_create([StudioRecognition(studio=s, year=today.year) for s in studios])
    user = User.objects.filter(username="rev").first() or StaffFactory(username="rev")
    reviewer = Reviewer.objects.filter(call=call, user=user).first() or add_reviewer(call, user)
    Review.objects.bulk_create([Review(application=a, reviewer=reviewer) for a in apps])


def count_queries(client, url, django_assert_max_num_queries, limit=15):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the per-process caches (content types, calendar) first
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    assert len(ctx) <= limit, (url, len(ctx))
    return len(ctx)


ADMIN_LISTS = ["application", "residency", "progressreport", "studio", "call", "place"]


@pytest.mark.parametrize("url", ["/innovation/", "/innovation/?q=项目", "/innovation/studios/"])
def test_public_pages_are_flat_in_queries(client, call, url, django_assert_max_num_queries):
    grow(call, 10)
    small = count_queries(client, url, django_assert_max_num_queries)
    grow(call, 190)
    assert count_queries(client, url, django_assert_max_num_queries) == small
    assert "public" in client.get(url)["Cache-Control"]


def test_admin_changelists_are_flat_in_queries(client, call, django_assert_max_num_queries):
    admin = StaffFactory(is_superuser=True, username="boss")
    grow(call, 10)
    client.force_login(admin)
    small = {name: count_queries(client, reverse(f"admin:innovation_{name}_changelist"),
                                 django_assert_max_num_queries) for name in ADMIN_LISTS}
    grow(call, 190)
    large = {name: count_queries(client, reverse(f"admin:innovation_{name}_changelist"),
                                 django_assert_max_num_queries) for name in ADMIN_LISTS}
    assert large == small


def test_a_reviewers_sheet_list_is_flat_in_queries(client, call, django_assert_max_num_queries):
    grow(call, 10)
    client.force_login(User.objects.get(username="rev"))
    url = reverse("admin:innovation_review_changelist")
    small = count_queries(client, url, django_assert_max_num_queries)
    grow(call, 190)
    assert count_queries(client, url, django_assert_max_num_queries) == small


def test_only_published_projects_are_shown(client, call):
    grow(call, 2)
    Application.objects.filter(project_name="项目1").update(publish_consent=False)
    page = client.get("/innovation/").content.decode()
    assert "项目0" in page and "项目1" not in page


def test_every_admin_page_opens(client, call, economic):
    grow(call, 3)
    admin = StaffFactory(is_superuser=True, username="boss")
    client.force_login(admin)
    application = Application.objects.first()
    residency = Residency.objects.first()
    studio = Studio.objects.first()
    for name in ADMIN_LISTS + ["industry", "space"]:
        for query in ("", "?q=%00", "?o=999", "?status=unknown", "?p=99999999999"):
            assert client.get(reverse(f"admin:innovation_{name}_changelist") + query).status_code in (200, 302), name
    for url in (reverse("admin:innovation_application_change", args=[application.pk]),
                reverse("admin:innovation_residency_change", args=[residency.pk]),
                reverse("admin:innovation_residency_add"),
                reverse("admin:innovation_studio_change", args=[studio.pk]),
                reverse("admin:innovation_call_change", args=[call.pk]),
                reverse("admin:innovation_call_add")):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:innovation_application_change", args=[999999])).status_code in (302, 404)


def test_the_admin_move_buttons_call_the_service(client, call, member, economic):
    from .conftest import make_application

    application = make_application(call, member)
    client.force_login(economic)
    page = client.get(reverse("admin:innovation_application_change", args=[application.pk])).content.decode()
    assert "进入评审" in page
    move = reverse("admin:innovation_application_move", args=[application.pk])
    client.post(move, {"target": Status.RETURNED, "reason": ""})
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    client.post(move, {"target": Status.REVIEWING})
    client.post(move, {"target": "nonsense"})
    application.refresh_from_db()
    assert application.status == Status.REVIEWING
    assert application.changes.filter(to_status=Status.REVIEWING, actor=economic).exists()


def test_wrong_staff_group_cannot_open_applications(client, call, member, staff_of):
    from apps.accounts import roles

    from .conftest import make_application

    application = make_application(call, member)
    client.force_login(staff_of(roles.RIGHTS))
    assert client.get(reverse("admin:innovation_application_change", args=[application.pk])).status_code in (302, 403)
    assert client.get(reverse("admin:innovation_application_changelist")).status_code == 403
    assert client.get("/innovation/numbers/").status_code == 403


def test_numbers_and_excel_export(client, call, economic):
    grow(call, 3)
    client.force_login(economic)
    response = client.get("/innovation/numbers/")
    assert response.status_code == 200
    assert client.get("/innovation/numbers/?year=abc").status_code == 200
    assert client.get("/innovation/numbers/?year=99999999").status_code == 200
    response = client.get("/innovation/numbers/?format=xlsx")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    from apps.innovation.selectors import numbers_for_year

    numbers = numbers_for_year(call.opens_on.year)
    assert numbers["applications"] == 3 and numbers["admissions"] == 3


def test_changelists_export_to_excel_with_a_log(client, call, economic):
    from apps.core.models import ExportLog

    grow(call, 3)
    client.force_login(economic)
    for name, model in (("application", Application), ("residency", Residency)):
        response = client.post(reverse(f"admin:innovation_{name}_changelist"), {
            "action": "export_xlsx", "_selected_action": list(model.objects.values_list("pk", flat=True))})
        assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"], name
    assert ExportLog.objects.filter(user=economic).count() == 2
