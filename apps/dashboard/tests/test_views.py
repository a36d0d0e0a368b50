"""The dashboard and the work report: who may open them, what each department sees, odd
parameters, downloads, the short cache and its invalidation."""

import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts import roles
from apps.core.models import ExportLog
from apps.rights.models import CaseStatusChange, RightsCase, Status
from tests.factories import AgencyStaffFactory, StaffFactory, UserFactory, response_bytes

pytestmark = pytest.mark.django_db

PAGES = ["dashboard:index", "dashboard:export", "dashboard:report", "dashboard:report_xlsx", "dashboard:report_pdf"]


def get(client, user, name, **params):
    if user is not None:
        client.force_login(user)
    return client.get(reverse(name), params)


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_every_other_role_gets_403(client, name, member, officer, db):
    others = [
        member.user, officer, AgencyStaffFactory().user, StaffFactory(groups=[roles.UNION_OFFICER]),
        StaffFactory(groups=[roles.AGENCY_POINT]), StaffFactory(groups=[roles.OFFICE]), StaffFactory(),
        UserFactory(),  # signed in, not staff
    ]
    others.append(UserFactory(is_staff=False))
    others[-1].groups.add(*__import__("django.contrib.auth.models", fromlist=["Group"]).Group.objects.filter(
        name=roles.LEADERSHIP))  # the leadership group without staff status is not enough
    for user in others:
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403, user


def test_leader_and_superuser_see_every_section(client, world, leader):
    for user in (leader, UserFactory(is_staff=True, is_superuser=True)):
        response = get(client, user, "dashboard:index")
        assert response.status_code == 200
        assert [s.key for s in response.context["sections"]] == [
            "members", "rights", "supervision", "stars", "competitions", "awards", "aid", "mutualaid", "counselling",
            "innovation"]
        assert not response.context["limited"]


@pytest.mark.parametrize(("group", "sections"), [
    (roles.RIGHTS, ["rights", "supervision"]),
    (roles.ORGANISATION, ["members", "stars", "awards"]),
    (roles.ECONOMIC, ["competitions", "awards", "innovation"]),
    (roles.AID, ["aid"]),
    (roles.MUTUAL_AID, ["mutualaid"]),
    (roles.COUNSELLING, ["counselling"]),
    (roles.COUNSELLING_SUPERVISOR, ["counselling"]),
])
def test_department_heads_see_only_their_department(client, world, group, sections):
    user = StaffFactory(groups=[group])
    response = get(client, user, "dashboard:index")
    assert response.status_code == 200
    assert [s.key for s in response.context["sections"]] == sections
    assert response.context["limited"]
    html = response.content.decode()
    if "rights" not in sections:
        assert "案件类别" not in html and "追回金额" not in html
    if "aid" not in sections:
        assert "冬送温暖" not in html
    if "counselling" not in sections:
        assert "稠城心灵港湾" not in html
    # another department's table cannot be downloaded either
    other = "aid_campaigns" if "aid" not in sections else "rights_category"
    assert client.get(reverse("dashboard:export_panel", args=[other])).status_code == 404
    report = get(client, None, "dashboard:report")
    keys = [b.key for b in report.context["brands"]]
    assert ("rights" in keys) == ("rights" in sections)
    assert ("aid" in keys) == ("aid" in sections)


def test_page_shows_figures_tables_and_chart_data(client, world, leader):
    response = get(client, leader, "dashboard:index")
    html = response.content.decode()
    assert 'id="dashboard-charts"' in html and "vendor/echarts/echarts.min.js" in html
    assert "dashboard/dashboard.js" in html and "<script>" not in html.replace('<script id="dashboard-charts"', "")
    assert "style=" not in html  # the CSP allows no inline styles
    charts = {c["id"]: c for c in response.context["charts"]}
    assert {c["chart"] for c in charts.values()} >= {"bar", "line", "pie"}
    assert ["拖欠工资", 2, Decimal("6200.50")] in charts["rights_category"]["rows"]
    assert "6,200.50" in html  # the table beside the chart
    assert ["北苑心灵港湾", "<5"] in charts["counselling_studio"]["rows"]
    assert "&lt;5" in html


def test_town_filter(client, world, leader):
    response = get(client, leader, "dashboard:index", year=world.year, town=world.town_a.pk)
    sections = {s.key: s for s in response.context["sections"]}
    assert dict(sections["rights"].figures)["受理求助"] == 3
    assert dict(sections["members"].figures)["会员总数"] == 5


@pytest.mark.parametrize("params", [
    {"year": "abc"}, {"year": "99999999999999999999"}, {"year": "1900"}, {"year": "-1"}, {"town": "x"},
    {"town": "999999"}, {"town": "-3"}, {"year": "２０２６"}, {"year": "2026\x00"}, {"town": "１"}, {"year": ""},
])
def test_odd_parameters_never_500(client, world, leader, params):
    client.force_login(leader)
    for name in ("dashboard:index", "dashboard:report", "dashboard:export", "dashboard:report_xlsx"):
        assert client.get(reverse(name), params).status_code == 200


def test_odd_year_says_so_in_chinese(client, world, leader):
    response = get(client, leader, "dashboard:index", year="abc", town="zz")
    html = response.content.decode()
    assert "年度无效" in html and "镇街无效" in html
    assert response.context["filters"].year == world.year


def test_full_width_year_is_read(client, world, leader):
    digits = str(world.year).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert get(client, leader, "dashboard:index", year=digits).context["filters"].errors == []


def test_panel_and_dashboard_excel(client, world, leader):
    client.force_login(leader)
    response = client.get(reverse("dashboard:export_panel", args=["aid_campaigns"]), {"year": world.year})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response_bytes(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("活动", "预算（元）", "批准金额（元）", "已发放（元）")
    assert rows[1][0] == "冬送温暖" and Decimal(str(rows[1][3])) == Decimal("2000")
    whole = client.get(reverse("dashboard:export"), {"year": world.year})
    rows = list(load_workbook(io.BytesIO(response_bytes(whole))).active.iter_rows(values_only=True))
    assert ("社会化维权", "主要数据", "受理求助", 5) in rows
    assert ExportLog.objects.filter(user=leader).count() == 2
    assert client.get(reverse("dashboard:export_panel", args=["nothing"])).status_code == 404


def test_cache_is_used_and_retired_by_a_decision(client, world, leader, django_assert_max_num_queries):
    client.force_login(leader)
    first = client.get(reverse("dashboard:index"))
    assert dict(first.context["sections"][1].figures)["已结案"] == 2
    with django_assert_max_num_queries(6):  # session, user, groups, towns: figures from the cache
        client.get(reverse("dashboard:index"))
    case = RightsCase.objects.get(status=Status.MEDIATION)
    RightsCase.objects.filter(pk=case.pk).update(status=Status.CLOSED, outcome="resolved", amount_recovered=0)
    cached = client.get(reverse("dashboard:index"))
    assert dict(cached.context["sections"][1].figures)["已结案"] == 2  # still the cached figure
    CaseStatusChange.objects.create(case=case, from_status=Status.MEDIATION, to_status=Status.CLOSED, actor=leader)
    fresh = client.get(reverse("dashboard:index"))
    assert dict(fresh.context["sections"][1].figures)["已结案"] == 3


def test_a_decision_retires_only_the_sections_of_its_app(client, world, leader, django_assert_max_num_queries):
    from apps.aid.models import Campaign

    def figures(response, key):
        return dict(next(s for s in response.context["sections"] if s.key == key).figures)

    client.force_login(leader)
    first = client.get(reverse("dashboard:index"))
    budget = figures(first, "aid")["活动预算（元）"]
    campaign = Campaign.objects.filter(year=world.year).order_by("pk").first()
    Campaign.objects.filter(pk=campaign.pk).update(budget=campaign.budget + 1000)  # no decision recorded
    case = RightsCase.objects.get(status=Status.MEDIATION)
    RightsCase.objects.filter(pk=case.pk).update(status=Status.CLOSED, outcome="resolved", amount_recovered=0)
    CaseStatusChange.objects.create(case=case, from_status=Status.MEDIATION, to_status=Status.CLOSED, actor=leader)
    with django_assert_max_num_queries(8):  # the rights section's two queries; the rest from the cache
        after_rights = client.get(reverse("dashboard:index"))
    assert figures(after_rights, "rights")["已结案"] == 3
    assert figures(after_rights, "aid")["活动预算（元）"] == budget  # the aid section was not recounted
    campaign.refresh_from_db()
    campaign.save()  # an aid record saved: the aid section counts again
    assert figures(client.get(reverse("dashboard:index")), "aid")["活动预算（元）"] == budget + 1000


def test_the_background_warm_up_leaves_this_years_page_in_the_cache(client, world, leader, settings,
                                                                     django_assert_max_num_queries):
    from apps.dashboard.cache import cache_seconds
    from apps.dashboard.tasks import dashboard_warm_task

    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "apps.dashboard.tasks.dashboard_warm_task")
    assert entry["schedule"] < cache_seconds()  # refreshed before it expires
    assert dashboard_warm_task.delay().get() == 10
    client.force_login(leader)
    with django_assert_max_num_queries(6):  # session, user, groups, towns: every figure from the cache
        response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200 and dict(response.context["sections"][1].figures)["已结案"] == 2


def test_report_figures(client, world, leader):
    response = get(client, leader, "dashboard:report", year=world.year)
    assert response.status_code == 200
    brands = {b.key: dict(b.figures) for b in response.context["brands"]}
    assert [b.number for b in response.context["brands"]] == list("一二三四五六七八九十")
    assert brands["rights"]["受理维权求助（件）"] == 5 and brands["rights"]["追回金额（元）"] == Decimal("6200.50")
    assert brands["rights"]["整改率"] == "25.0%"
    assert brands["stars"]["评定星级工会（个）"] == 2 and brands["stars"]["五星级示范工会（个）"] == 1
    assert brands["competitions"]["举办竞赛（项）"] == 1 and brands["competitions"]["参赛职工（人）"] == 3
    assert brands["craftsmen"]["评选为“义乌工匠”（人）"] == 1
    assert brands["pioneers"]["命名“工人先锋号”（个）"] == 1
    assert brands["innovation"]["入驻项目（个）"] == 2
    assert brands["aid"]["发放金额（元）"] == Decimal("5000.00") and brands["aid"]["批准（人次）"] == 3
    assert brands["mutualaid"]["拨付金额（元）"] == Decimal("2000.00")
    assert brands["mutualaid"]["基金结余（元）"] == Decimal("1000.00")
    assert brands["counselling"]["心理咨询（次）"] == "<10"
    assert brands["online"]["网上入会通过（人）"] == 3 and brands["online"]["在册会员（人）"] == 5
    aid_table = next(t for t in response.context["brands"][6].tables)
    assert aid_table[2][0] == ["冬送温暖", 2, Decimal("3500.00"), Decimal("2000.00"), Decimal("100000.00")]
    rolls = {r["label"]: [e["name"] for e in r["entries"]] for r in response.context["rolls"]}
    assert rolls["最美职工"] == ["丁思诗", "王立栋"] and rolls["义乌工匠"] == ["张工匠"]
    html = response.content.decode()
    assert "“星级工会”创建" in html and "丁思诗" in html and "style=" not in html


def test_report_excel_and_pdf(client, world, leader):
    client.force_login(leader)
    response = client.get(reverse("dashboard:report_xlsx"), {"year": world.year})
    rows = list(load_workbook(io.BytesIO(response_bytes(response))).active.iter_rows(values_only=True))
    assert ("一、工会社会化维权", "受理维权求助（件）", 5) in rows
    assert ("荣誉榜：最美职工", "丁思诗", world.employer_a.name) in rows
    pdf = client.get(reverse("dashboard:report_pdf"), {"year": world.year})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and b"STSong-Light" in pdf.content
    assert ExportLog.objects.filter(user=leader, file_format="pdf").count() == 1


def test_counselling_never_shows_topics(client, world, leader):
    html = get(client, leader, "dashboard:index").content.decode()
    html = html[html.index('id="section-counselling"'):html.index('id="section-innovation"')]
    from apps.counselling.models import Topic

    for _value, label in Topic.choices:
        assert str(label) not in html
    cache.clear()


def test_admin_index_links_the_dashboard_for_those_allowed(client, leader):
    client.force_login(leader)
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:dashboard_dashboard_changelist") in html
    response = client.get(reverse("admin:dashboard_dashboard_changelist"))
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:index")
    client.force_login(StaffFactory(groups=[roles.UNION_OFFICER]))
    assert reverse("admin:dashboard_dashboard_changelist") not in client.get(reverse("admin:index")).content.decode()
    assert client.get(reverse("admin:dashboard_dashboard_changelist")).status_code == 403
