"""A team applies on a phone with a business plan, the panel scores it in admin, staff admit it,
and the lead files a progress report (Chromium via Playwright at 390×844)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from apps.innovation.models import Application, Place, Review, Status
from apps.innovation.services import residency_start, review_assign
from apps.notices.models import PublicNotice
from tests.browser import sign_in
from tests.factories import EmployerFactory, MemberFactory, StaffFactory, UserFactory

from .conftest import add_reviewer, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_team_applies_is_reviewed_admitted_and_reports(page, live_server, shots, tmp_path, call):
    lead = MemberFactory(name="周创新", user=UserFactory())
    staff = StaffFactory(username="econ")
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="innovation"))
    reviewer_user = StaffFactory(username="expert")
    add_reviewer(call, reviewer_user, EmployerFactory())
    plan = tmp_path / "商业计划书.png"
    plan.write_bytes(png_bytes())

    sign_in(page, live_server, lead.user)
    page.goto(f"{live_server.url}/innovation/apply/")
    shots(page, "apply-empty")
    page.get_by_label("项目名称").fill("袜机智能监测")
    page.get_by_label("所属产业").select_option(label="数字经济")
    page.get_by_label("项目阶段").select_option(label="样品/原型")
    page.get_by_label("项目简介").fill("给袜业小微企业的老旧袜机加装传感器，实时统计产量和故障，减少停机。")
    page.get_by_label("您在团队中的分工").fill("技术")
    page.get_by_label("其他团队成员（选填）").fill("吴巧，运营")
    page.get_by_label("需要创业导师").check()
    page.locator("input[type='file']").set_input_files(str(plan))
    page.get_by_label("入驻后同意在众创空间展示页公开本项目").check()
    shots(page, "apply-filled")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(f"{live_server.url}/innovation/applications/*/")
    shots(page, "apply-submitted")
    application = Application.objects.get()
    assert application.status == Status.SUBMITTED
    assert application.plans.get().original_name == "商业计划书.png"
    assert page.locator("#application-status").inner_text() == "已提交"

    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/admin/innovation/application/{application.pk}/change/")
    page.get_by_role("button", name="进入评审").click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == Status.REVIEWING
    assert review_assign(call=call) == 1

    sign_in(page, live_server, reviewer_user)
    sheet = Review.objects.get()
    page.goto(f"{live_server.url}/admin/innovation/review/{sheet.pk}/change/")
    assert page.get_by_text("提交本人评分后才能看到其他评审专家的评分").is_visible()
    page.get_by_label("创新性（0–40）").fill("35")
    page.get_by_label("市场前景（0–60）").fill("50")
    shots(page, "review-sheet")
    page.get_by_role("button", name="提交评分").click()
    page.wait_for_load_state()
    sheet.refresh_from_db()
    assert sheet.total == Decimal("85")

    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/admin/innovation/application/{application.pk}/change/")
    page.get_by_role("button", name="准予入驻").click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == Status.ADMITTED

    # The admission list goes on public notice, the lead's name masked.
    page.goto(f"{live_server.url}/admin/innovation/call/")
    page.locator(f"input[name=_selected_action][value='{call.pk}']").check()
    page.select_option("select[name=action]", "publish_admissions_notice")
    page.locator("button[name=index]").click()
    page.wait_for_load_state()
    assert page.get_by_text("公示已发布").first.is_visible()
    notice = PublicNotice.objects.get()
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/notices/{notice.pk}/")
    shots(page, "admission-notice")
    content = page.content()
    assert lead.masked_name in content and "周创新" not in content and lead.phone not in content
    sign_in(page, live_server, staff)
    today = timezone.localdate()
    residency_start(application=application, place=Place.objects.first(), starts_on=today,
                    ends_on=today + datetime.timedelta(days=365), mentor="陈导师", actor=staff)

    sign_in(page, live_server, lead.user)
    page.goto(f"{live_server.url}/innovation/applications/{application.pk}/")
    shots(page, "resident")
    page.get_by_role("link", name="填报季度进展").click()
    page.get_by_label("进展与里程碑").fill("完成 3 台袜机的传感器安装并试运行")
    page.get_by_label("本季度营业收入（元）").fill("８０００")
    page.get_by_label("新增就业岗位").fill("2")
    page.get_by_label("新获专利").fill("0")
    shots(page, "report-filled")
    page.get_by_role("button", name="提交报告").click()
    page.wait_for_url(f"{live_server.url}/innovation/applications/{application.pk}/")
    shots(page, "report-filed")
    report = application.residency.reports.get()
    assert (report.revenue, report.jobs_created) == (Decimal("8000"), 2)

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/innovation/")
    shots(page, "showcase")
    assert page.get_by_text("袜机智能监测").is_visible()
