"""A team's application: drafts, submission, returns, who may see it, and the lead told."""

import pytest
from django.urls import reverse

from apps.core.uploads import document_clean
from apps.innovation.errors import ApplicationLocked, LeadNotMember, PlanRequired, ReturnReasonRequired
from apps.innovation.models import Application, ApplicationStatusChange, Stage, Status
from apps.innovation.services import application_save, application_transition
from apps.notify.models import Notification
from tests.factories import MemberFactory, UserFactory

from .conftest import PDF, make_application, pdf_upload

pytestmark = pytest.mark.django_db


def form_data(call, **extra):
    data = {
        "call": call.pk, "project_name": "义乌小商品跨境直播选品助手", "industry": call.industries.first().pk,
        "stage": Stage.IDEA, "summary": "帮助市场商户用数据挑选适合跨境直播的商品，降低试错成本。",
        "lead_role": "产品", "team": "王小明，开发，+86 138-0579-1234\n陈芳，运营", "needs_desk": "on",
    }
    data.update(extra)
    return data


def test_member_saves_a_draft_then_submits_with_a_plan(client, member, call):
    other = MemberFactory(phone="13805791234")
    client.force_login(member.user)
    response = client.post(reverse("innovation:apply"), form_data(call, save="1"))
    application = Application.objects.get()
    assert response.status_code == 302 and application.status == Status.DRAFT
    team = list(application.team.order_by("-is_lead", "id"))
    assert [(m.name, m.member) for m in team] == [(member.name, member), ("王小明", other), ("陈芳", None)]
    assert team[0].is_lead

    response = client.post(reverse("innovation:edit", args=[application.pk]),
                           form_data(call, submit="1", plans=pdf_upload()))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED and application.plans.count() == 1
    assert ApplicationStatusChange.objects.filter(application=application, to_status=Status.SUBMITTED,
                                                  actor=member.user, member=member).exists()
    assert Notification.objects.filter(member=member, title="众创空间入驻申请已提交").exists()


def test_submission_without_a_plan_is_refused_and_nothing_changes(client, member, call):
    client.force_login(member.user)
    response = client.post(reverse("innovation:apply"), form_data(call, submit="1"))
    assert response.status_code == 200
    assert "提交前请上传商业计划书" in response.content.decode()
    assert not Application.objects.exists()


def test_a_fake_file_is_refused_with_a_message(client, member, call):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(member.user)
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = client.post(reverse("innovation:apply"), form_data(call, submit="1", plans=fake))
    assert response.status_code == 200 and not Application.objects.exists()
    assert "plan.pdf" in response.content.decode()


def test_a_chosen_file_on_a_reshown_form_is_not_dropped_silently(client, member, call):
    client.force_login(member.user)
    response = client.post(reverse("innovation:apply"), form_data(call, submit="1", project_name="", plans=pdf_upload()))
    assert response.status_code == 200
    assert "已选择的文件尚未保存，请更正后重新选择文件" in response.content.decode()


def test_a_bad_phone_in_the_team_is_explained(client, member, call):
    client.force_login(member.user)
    response = client.post(reverse("innovation:apply"), form_data(call, save="1", team="王小明，开发，0579-123"))
    assert "第 1 行的手机号不正确" in response.content.decode()
    assert not Application.objects.exists()


def test_a_non_member_lead_is_refused(client, call):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("innovation:apply"), form_data(call, save="1", plans=pdf_upload()))
    assert response.status_code == 403
    assert "项目负责人须是本会会员" in response.content.decode()
    assert not Application.objects.exists()
    with pytest.raises(LeadNotMember):
        application_save(call=call, lead=None, project_name="x", industry=call.industries.first(), summary="x",
                         stage=Stage.IDEA)


def test_anonymous_is_sent_to_sign_in(client, call):
    response = client.get(reverse("innovation:apply"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_submitted_is_read_only_until_returned_with_a_reason(client, member, call, economic):
    application = make_application(call, member)
    client.force_login(member.user)
    response = client.post(reverse("innovation:edit", args=[application.pk]), form_data(call, save="1"))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.project_name == "智能袜机物联网改造"
    with pytest.raises(ApplicationLocked):
        application_save(call=call, lead=member, project_name="改名", industry=application.industry,
                         summary="x" * 30, stage=Stage.IDEA, application=application)
    with pytest.raises(ReturnReasonRequired):
        application_transition(application=application, target=Status.RETURNED, actor=economic, reason="  ")
    application_transition(application=application, target=Status.RETURNED, actor=economic, reason="请补充财务测算")
    assert Notification.objects.filter(member=member, body__contains="请补充财务测算").exists()
    response = client.post(reverse("innovation:edit", args=[application.pk]),
                           form_data(call, submit="1", project_name="智能袜机物联网改造（修订）"))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED and application.project_name.endswith("（修订）")


def test_the_lead_cannot_decide_and_staff_cannot_submit_for_the_team(member, call, economic):
    from apps.core.workflow import MoveNotPermitted

    application = make_application(call, member, status=Status.DRAFT)
    with pytest.raises(MoveNotPermitted):
        application_transition(application=application, target=Status.SUBMITTED, actor=economic)
    application_transition(application=application, target=Status.SUBMITTED, actor=member.user)
    with pytest.raises(MoveNotPermitted):
        application_transition(application=application, target=Status.REVIEWING, actor=member.user)


def test_withdrawn_plan_does_not_count_for_submission(member, call, economic):
    from apps.core.evidence import evidence_withdraw

    application = make_application(call, member, status=Status.DRAFT)
    evidence_withdraw(evidence=application.plans.get(), actor=economic, reason="文件错误")
    with pytest.raises(PlanRequired):
        application_transition(application=application, target=Status.SUBMITTED, actor=member.user)


def test_a_team_sees_only_its_own_application(client, member, other_member, call, officer, economic):
    application = make_application(call, member)
    plan = application.plans.get()
    client.force_login(member.user)
    assert client.get(reverse("innovation:detail", args=[application.pk])).status_code == 200
    assert client.get(reverse("innovation:plan", args=[plan.pk])).status_code == 200
    for user in (other_member.user, officer, economic):
        client.force_login(user)
        for url in (reverse("innovation:detail", args=[application.pk]),
                    reverse("innovation:edit", args=[application.pk]),
                    reverse("innovation:report", args=[application.pk]),
                    reverse("innovation:plan", args=[plan.pk])):
            assert client.get(url).status_code in (403, 404), (user, url)


def test_a_team_member_who_is_a_member_sees_it_but_cannot_edit(client, member, call):
    mate = MemberFactory(user=UserFactory())
    application = application_save(
        call=call, lead=member, project_name="团队项目", industry=call.industries.first(), summary="x" * 30,
        stage=Stage.IDEA, plans=[document_clean(pdf_upload())],
        team=[__import__("apps.innovation.services", fromlist=["TeamMate"]).TeamMate(name=mate.name, member=mate)],
    )
    client.force_login(mate.user)
    assert client.get(reverse("innovation:detail", args=[application.pk])).status_code == 200
    assert client.get(reverse("innovation:edit", args=[application.pk])).status_code == 404


def test_odd_parameters_do_not_break_the_pages(client, member, call):
    client.force_login(member.user)
    for url in ("/innovation/apply/?call=%00", "/innovation/apply/?call=99999999999999999999",
                "/innovation/?q=%00", "/innovation/?page=999999999999", "/innovation/studios/?q=abc&page=x",
                "/innovation/applications/999999/", "/innovation/studios/99999/"):
        assert client.get(url).status_code in (200, 404), url
    assert PDF.startswith(b"%PDF")


def test_my_projects_list_and_the_portal_tile(client, member, other_member, call):
    make_application(call, member, name="我的项目")
    make_application(call, other_member, name="别人的项目")
    client.force_login(member.user)
    page = client.get(reverse("innovation:mine")).content.decode()
    assert "我的项目" in page and "别人的项目" not in page and "已提交" in page
    assert reverse("innovation:mine") in client.get("/me/").content.decode()


def test_demo_data_is_idempotent_and_volume_runs(member):
    from apps.innovation import demo
    from apps.innovation.models import Call, Studio
    from tests.factories import StaffFactory

    demo.seed(member=member)
    demo.seed(member=member)
    assert Call.objects.count() == 1 and Studio.objects.count() <= 1
    assert Application.objects.filter(lead=member, status=Status.SUBMITTED).count() == 1
    StaffFactory(is_superuser=True)
    for _n in range(5):
        MemberFactory(user=UserFactory())
    year = __import__("django.utils.timezone", fromlist=["x"]).localdate().year
    assert demo.volume(year=year, teams=5) == 5
