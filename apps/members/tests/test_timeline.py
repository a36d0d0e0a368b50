# ruff: noqa: F811  (fixtures of the apps whose records the timeline shows, imported by name)
"""One member's timeline: every service's records in date order, links only to what a login
may open, counselling shown as "心理服务" with a day to the member and supervisors only, and a
query count that does not grow with the member's records."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts import roles
from apps.aid.tests.conftest import aid_staff, autumn, make_application, policy, second_staff, student_aid, year  # noqa: F401
from apps.awards.models import AwardKind, AwardProgramme, HonourEntry
from apps.competitions.models import Registration
from apps.competitions.tests.factories import EventFactory
from apps.core.timeline import Viewer, member_timeline
from apps.counselling.models import Booking
from apps.counselling.tests.conftest import at, make_counsellor, make_slot, make_studio, next_open_day
from apps.mutualaid.tests.conftest import enrol, make_claim, mutual_office, scheme, today  # noqa: F401
from apps.rights.tests.conftest import employer, make_case  # noqa: F401
from tests.factories import OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db

TOPIC_WORDS = ["工作压力", "家庭", "咨询主题", "留言", "稠城心灵港湾工作室", "王心怡", "已预约", "已咨询"]


@pytest.fixture
def records(member, make_case, make_application, student_aid, make_claim, enrol):
    """The member's records in every service, each written through the app's own services."""
    case = make_case(member=member)
    application = make_application(member, student_aid)
    enrol(member)
    claim = make_claim(member)
    programme = AwardProgramme.objects.create(kind=AwardKind.CRAFTSMAN, year=2025, title="2025年度义乌工匠",
                                              is_published=True)
    honour = HonourEntry.objects.create(programme=programme, name=member.name, town_street=member.town_street,
                                        deeds="扎根一线。", member=member)
    event = EventFactory()
    registration = Registration.objects.create(event=event, member=member, award="first", rank=1)
    event.results_published_at = timezone.now()
    event.save(update_fields=["results_published_at"])
    studio = make_studio()
    counsellor = make_counsellor(studio)
    booking = Booking.objects.create(slot=make_slot(counsellor, studio, at(next_open_day(), 10)), member=member,
                                     topic="work", note="最近工作压力很大")
    return {"case": case, "application": application, "claim": claim, "honour": honour,
            "registration": registration, "booking": booking, "counsellor": counsellor}


def _timeline_section(html):
    start = html.index("会员记录（各项服务）")
    return html[start:html.index("</fieldset>", start)]


def _titles(entries):
    return " | ".join(f"{e.service} {e.title} {e.status} {e.note}" for e in entries)


def test_timeline_has_every_service_in_date_order(member, records, staff_of):
    entries = member_timeline(member, Viewer.member_self(member.user))
    text = _titles(entries)
    for expected in ["社会化维权", "困难职工帮扶", "职工医疗互助保障", "荣誉", "劳动和技能竞赛", "加入工会", "心理服务"]:
        assert expected in text, expected
    stamps = [e.at for e in entries]
    assert stamps == sorted(stamps, reverse=True)
    assert entries[-1].title == "加入工会" and entries[-1].at.date() == datetime.date(2020, 5, 1)
    assert str(records["case"].number) in text and str(records["claim"].number) in text


def test_member_sees_counselling_as_a_day_only_and_no_notes(member, records):
    entries = member_timeline(member, Viewer.member_self(member.user))
    counselling = [e for e in entries if e.service == "心理服务"]
    assert len(counselling) == 1
    assert counselling[0].title == "心理服务" and counselling[0].status == "" and counselling[0].url == ""
    assert counselling[0].date_only
    text = _titles(entries)
    for word in TOPIC_WORDS + ["最近工作压力很大"]:
        assert word not in text
    assert all(e.note == "" for e in entries)  # the member reads decisions in their inbox


@pytest.mark.parametrize("who", ["superuser", "counsellor", "rights", "aid"])
def test_other_staff_see_no_trace_of_counselling(client, member, records, staff_of, who):
    user = {
        "superuser": lambda: UserFactory(is_staff=True, is_superuser=True),
        "counsellor": lambda: records["counsellor"].user,
        "rights": lambda: staff_of(roles.RIGHTS),
        "aid": lambda: staff_of(roles.AID),
    }[who]()
    client.force_login(user)
    response = client.get(reverse("admin:members_member_change", args=[member.pk]))
    assert response.status_code == 200
    section = _timeline_section(response.content.decode())
    assert "加入工会" in section and "社会化维权" in section
    for word in [*TOPIC_WORDS, "心理服务", "心灵港湾", "预约"]:
        assert word not in section


def test_supervisor_sees_counselling_day_without_detail(client, member, records, staff_of):
    supervisor = staff_of(roles.COUNSELLING, roles.COUNSELLING_SUPERVISOR)
    entries = member_timeline(member, Viewer(user=supervisor, is_self=False))
    counselling = [e for e in entries if e.service == "心理服务"]
    assert len(counselling) == 1 and counselling[0].url == "" and counselling[0].note == ""
    assert all(word not in _titles(entries) for word in TOPIC_WORDS)


def test_staff_links_only_to_records_their_admin_opens(client, member, records, staff_of):
    rights = staff_of(roles.RIGHTS)
    client.force_login(rights)
    html = client.get(reverse("admin:members_member_change", args=[member.pk])).content.decode()
    case_url = reverse("admin:rights_rightscase_change", args=[records["case"].pk])
    application_url = reverse("admin:aid_application_change", args=[records["application"].pk])
    assert case_url in html
    assert application_url not in html  # the rights department cannot open aid files
    assert "困难职工帮扶" in html  # ...but it sees that the member applied

    aid = staff_of(roles.AID)
    client.force_login(aid)
    html = client.get(reverse("admin:members_member_change", args=[member.pk])).content.decode()
    assert application_url in html and case_url not in html
    assert client.get(application_url).status_code == 200


def test_officer_of_another_union_cannot_open_the_member_page(client, member, records):
    officer = OfficerFactory().user  # a union that is not the member's
    client.force_login(officer)
    response = client.get(reverse("admin:members_member_change", args=[member.pk]))
    assert response.status_code in (302, 403, 404)
    assert "会员记录" not in response.content.decode()


def test_member_page_shows_only_their_own_timeline(client, member, other_member, records):
    client.force_login(other_member.user)
    response = client.get(reverse("members:timeline"))
    assert response.status_code == 200
    html = response.content.decode()
    assert str(records["case"].number) not in html and "心理服务" not in html
    client.force_login(member.user)
    html = client.get(reverse("members:timeline")).content.decode()
    assert str(records["case"].number) in html and "心理服务" in html
    assert "最近工作压力很大" not in html and "工作压力" not in html


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("members:timeline"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_query_count_is_flat_as_records_grow(client, member, make_case, make_claim, enrol, staff_of,
                                             django_assert_num_queries):
    enrol(member)
    superuser = UserFactory(is_staff=True, is_superuser=True)

    def measure(viewer):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            member_timeline(member, viewer)
        return len(ctx.captured_queries)

    def staff_viewer():
        from django.test import RequestFactory

        request = RequestFactory().get("/admin/")
        request.user = superuser
        return Viewer.staff(request)

    make_case(member=member)
    make_claim(member)
    measure(staff_viewer())  # the login's groups are read once and kept on the user
    small_self, small_staff = measure(Viewer.member_self(member.user)), measure(staff_viewer())
    for _ in range(4):
        make_case(member=member)
        make_claim(member, days_ago=None)
    assert measure(Viewer.member_self(member.user)) == small_self
    assert measure(staff_viewer()) == small_staff
    assert small_staff <= 30


def test_member_page_query_count_is_flat(client, member, make_case, django_assert_num_queries):
    client.force_login(member.user)
    make_case(member=member)
    client.get(reverse("members:timeline"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("members:timeline"))
    for _ in range(5):
        make_case(member=member)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("members:timeline"))
    assert response.status_code == 200 and response.content.decode().count("维权案件") >= 6
