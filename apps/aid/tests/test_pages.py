"""Query counts flat from 10 to 200 rows, and every page opened with odd parameters."""

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.aid.models import AidType, Application, Campaign, Enrolment, HardshipFile, HealthProgramme, Status
from apps.aid.services import application_notice_publish
from apps.notices.models import NoticeItem
from tests.factories import MemberFactory, UserFactory

from .conftest import make_campaign, open_file, submitted_student, today

pytestmark = pytest.mark.django_db


def bulk_applications(member, campaign, n, status=Status.SUBMITTED):
    """n applications of n aid types (one per type per member), straight into the table."""
    start = AidType.objects.filter(campaign=campaign).count()
    types = AidType.objects.bulk_create([
        AidType(campaign=campaign, name=f"项目{start + i}", standard_amount=Decimal("100")) for i in range(n)
    ])
    Application.objects.bulk_create([
        Application(year=campaign.year, campaign=campaign, aid_type=t, member=member, union=member.union,
                    town_street=member.town_street, status=status, number=f"JZ{campaign.year}-9{start + i:05d}",
                    amount=Decimal("100") if status in (Status.APPROVED, Status.NOTICED, Status.PAID) else None)
        for i, t in enumerate(types)
    ])


def flat(client, url, grow, django_assert_num_queries, params=None, maximum=15):
    grow(10)
    client.get(url, params or {})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        response = client.get(url, params or {})
    assert response.status_code == 200
    assert len(small.captured_queries) <= maximum, [q["sql"] for q in small.captured_queries]
    grow(190)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url, params or {})
    return response


def test_aid_index_is_flat(client, member, policy, django_assert_num_queries):
    campaign = make_campaign("autumn", today().year)
    client.force_login(member.user)

    def grow(n):
        start = AidType.objects.count()
        AidType.objects.bulk_create([AidType(campaign=campaign, name=f"项目{start + i}", standard_amount=Decimal("500"))
                                     for i in range(n)])
    response = flat(client, reverse("aid:index"), grow, django_assert_num_queries)
    assert response.content.decode().count("aid/apply/") == 200


def test_my_aid_page_is_flat(client, member, policy, django_assert_num_queries):
    campaign = make_campaign("autumn", today().year)
    client.force_login(member.user)
    response = flat(client, reverse("aid:mine"), lambda n: bulk_applications(member, campaign, n), django_assert_num_queries)
    assert len(response.context["applications"]) == 200


def test_notice_page_is_flat(client, aid_staff, policy, django_assert_num_queries):
    campaign = make_campaign("autumn", today().year)
    member = MemberFactory()
    bulk_applications(member, campaign, 1, status=Status.APPROVED)
    application_notice_publish(applications=list(Application.objects.all()), actor=aid_staff)
    notice_id = NoticeItem.objects.get().notice_id

    def grow(n):
        start = NoticeItem.objects.count()
        NoticeItem.objects.bulk_create([
            NoticeItem(notice_id=notice_id, ref=f"aid.application:x{start + i}", display_name="王*", summary="金秋助学",
                       amount=Decimal("1000"), sort_order=start + i) for i in range(n)
        ])
    flat(client, reverse("notices:detail", kwargs={"pk": notice_id}), grow, django_assert_num_queries)


@pytest.mark.parametrize("model", ["application", "hardshipfile", "enrolment", "campaign", "nomination"])
def test_admin_changelists_are_flat(client, aid_staff, policy, django_assert_num_queries, model):
    campaign = make_campaign("autumn", today().year)
    programme = HealthProgramme.objects.create(kind="checkup", year=today().year, title="体检", starts_on=today(),
                                               ends_on=today(), default_quota=1000)
    client.force_login(aid_staff)

    def grow(n):
        if model == "application":
            for _ in range(n // 10):
                bulk_applications(MemberFactory(), campaign, 10)
        elif model == "hardshipfile":
            for _ in range(n):
                file = open_file(MemberFactory())
                file.household.create(name="家属", relation="配偶", age=40, monthly_income=Decimal("1000"))
        elif model == "enrolment":
            Enrolment.objects.bulk_create([Enrolment(programme=programme, member=MemberFactory()) for _ in range(n)])
        elif model == "campaign":
            start = Campaign.objects.count()
            Campaign.objects.bulk_create([
                Campaign(kind="spring", year=1800 + start + i, title=f"活动{i}", starts_on=today(), ends_on=today(), budget=1)
                for i in range(n)
            ])
        else:
            from apps.aid.models import Nomination

            members = [MemberFactory() for _ in range(n)]
            Nomination.objects.bulk_create([Nomination(member=m, year=today().year, union=m.union) for m in members])
    response = flat(client, reverse(f"admin:aid_{model}_changelist"), grow, django_assert_num_queries, {"all": ""})
    assert len(response.context["cl"].result_list) >= 200


ODD = ["\x00", "99999999999999999999", "-1", "abc", "２０２６", "<script>"]


@pytest.mark.parametrize("value", ODD)
def test_pages_survive_odd_parameters(client, aid_staff, member, student_aid, value):
    application = submitted_student(member, student_aid)
    open_file(MemberFactory(user=UserFactory()))
    client.force_login(aid_staff)
    for name in ["application", "hardshipfile", "campaign", "aidtype", "aidpolicy", "nomination", "healthprogramme", "enrolment"]:
        url = reverse(f"admin:aid_{name}_changelist")
        for params in [{"q": value}, {"year": value}, {"status": value}, {"recheck": value}, {"aided": value}, {"o": value}]:
            assert client.get(url, params).status_code in (200, 302), (url, params)
    for url in [reverse("admin:aid_application_numbers"), reverse("admin:aid_application_numbers_export")]:
        assert client.get(url, {"year": value}).status_code == 200
    assert client.get(reverse("admin:aid_application_change", args=[application.pk])).status_code == 200
    assert client.get(reverse("admin:aid_hardshipfile_add")).status_code == 200
    assert client.get(reverse("admin:aid_campaign_add")).status_code == 200
    client.force_login(member.user)
    assert client.get(reverse("aid:index"), {"x": value}).status_code == 200
    assert client.get("/me/aid/99999999999999999999/").status_code == 404


def test_numbers_page_counts_and_exports(client, aid_staff, member, student_aid, make_application):
    open_file(member)
    make_application(member, student_aid, Status.APPROVED, amount=Decimal("2000"))
    never = open_file(MemberFactory(name="赵未助"))
    client.force_login(aid_staff)
    response = client.get(reverse("admin:aid_application_numbers"))
    html = response.content.decode()
    assert student_aid.campaign.title in html and "2000" in html and "深度困难" in html
    assert "赵未助" in html
    assert never in response.context["never_aided"]
    export = client.get(reverse("admin:aid_application_numbers_export"))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_campaign_copy_action(client, aid_staff, student_aid):
    client.force_login(aid_staff)
    client.post(reverse("admin:aid_campaign_changelist"), {"action": "copy_to_next_year",
                                                           "_selected_action": [student_aid.campaign.pk]})
    assert Campaign.objects.filter(year=student_aid.campaign.year + 1, kind="autumn").exists()
    response = client.post(reverse("admin:aid_campaign_changelist"), {"action": "copy_to_next_year",
                                                                      "_selected_action": [student_aid.campaign.pk]}, follow=True)
    assert "未复制" in response.content.decode()


def test_never_aided_queue_export(client, aid_staff, member):
    open_file(member)
    client.force_login(aid_staff)
    response = client.post(reverse("admin:aid_hardshipfile_changelist"),
                           {"action": "export_never_aided", "_selected_action": [HardshipFile.objects.get().pk]})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


