"""The rights admin: who may open cases, overdue first, the deadline filter, moves through the
change form and the actions (the same service refuses the same moves), query counts, the
leadership's numbers and their Excel export."""

import datetime
import io
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.accounts import roles
from apps.rights.models import (
    TRANSITIONS,
    CaseAttachment,
    Channel,
    Grade,
    Outcome,
    RightsCase,
    Status,
)
from apps.workdays.calendar import add_workdays
from tests.factories import EmployerFactory

from .conftest import EXE, PDF, upload

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:rights_rightscase_changelist")
ADD = reverse("admin:rights_rightscase_add")


def change_url(case):
    return reverse("admin:rights_rightscase_change", args=[case.pk])


def change_form_data(response, **overrides):
    """The POST a person would send from the change page as shown, with some fields changed."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(v) for v in value]
            elif hasattr(value, "read") or hasattr(value, "url"):
                continue
            else:
                data[key] = str(value)
    data.update({k: v for k, v in overrides.items() if v is not None})
    return data


def set_due(case, days_from_today):
    RightsCase.objects.filter(pk=case.pk).update(due_on=timezone.localdate() + datetime.timedelta(days=days_from_today))


class TestWhoMayOpenCases:
    def test_rights_department_opens_list_and_case(self, client, rights_officer, make_case):
        case = make_case()
        client.force_login(rights_officer)
        assert client.get(CHANGELIST).status_code == 200
        assert client.get(change_url(case)).status_code == 200

    @pytest.mark.parametrize("group", [roles.ECONOMIC, roles.ORGANISATION, roles.AID, roles.COUNSELLING, roles.UNION_OFFICER])
    def test_other_staff_groups_get_403(self, client, staff_of, make_case, group):
        case = make_case()
        client.force_login(staff_of(group))
        assert client.get(CHANGELIST).status_code == 403
        assert client.get(change_url(case)).status_code == 403
        assert client.get(reverse("admin:rights_rightscase_stats")).status_code == 403

    def test_officer_of_the_workers_own_union_gets_403(self, client, officer, member, make_case):
        case = make_case(member=member)
        client.force_login(officer)
        assert client.get(CHANGELIST).status_code == 403
        assert client.get(change_url(case)).status_code == 403

    def test_leadership_reads_but_cannot_move(self, client, staff_of, make_case):
        case = make_case()
        client.force_login(staff_of(roles.LEADERSHIP))
        assert client.get(CHANGELIST).status_code == 200
        page = client.get(change_url(case))
        assert page.status_code == 200 and "move_to" not in page.content.decode()
        response = client.post(CHANGELIST, {"action": "accept_general", "_selected_action": [case.pk]})
        case.refresh_from_db()
        assert case.status == Status.SUBMITTED
        assert response.status_code in (200, 302, 403)

    def test_superuser_opens_cases(self, admin_client, make_case):
        assert admin_client.get(change_url(make_case())).status_code == 200


class TestChangelist:
    def test_overdue_cases_come_first_with_a_red_flag(self, client, rights_officer, make_case):
        later = make_case()
        overdue = make_case()
        closed = make_case(Status.CLOSED)
        soon = make_case()
        set_due(later, 10)
        set_due(overdue, -2)
        set_due(soon, 1)
        client.force_login(rights_officer)
        response = client.get(CHANGELIST)
        order = [c.pk for c in response.context["cl"].result_list]
        assert order == [overdue.pk, soon.pk, later.pk, closed.pk]
        assert 'class="rights-overdue"' in response.content.decode()

    def test_due_within_two_working_days_filter(self, client, rights_officer, make_case):
        today = timezone.localdate()
        inside, outside, overdue, done = make_case(), make_case(), make_case(), make_case(Status.DECLINED)
        RightsCase.objects.filter(pk=inside.pk).update(due_on=add_workdays(today, 2))
        RightsCase.objects.filter(pk=outside.pk).update(due_on=add_workdays(today, 3))
        set_due(overdue, -1)
        client.force_login(rights_officer)
        response = client.get(CHANGELIST, {"deadline": "within2"})
        assert [c.pk for c in response.context["cl"].result_list] == [inside.pk]
        overdue_only = client.get(CHANGELIST, {"deadline": "overdue"})
        assert [c.pk for c in overdue_only.context["cl"].result_list] == [overdue.pk]
        assert done.pk not in [c.pk for c in overdue_only.context["cl"].result_list]

    def test_query_count_stays_flat(self, client, rights_officer, make_case, member, django_assert_num_queries, django_assert_max_num_queries):
        employers = [EmployerFactory() for _ in range(3)]
        client.force_login(rights_officer)

        def add(n):
            for i in range(n):
                case = make_case(employer=employers[i % 3], member=member if i % 2 else None)
                RightsCase.objects.filter(pk=case.pk).update(handler=rights_officer)

        add(10)
        client.get(CHANGELIST, {"all": ""})
        with django_assert_max_num_queries(20) as small:
            client.get(CHANGELIST, {"all": ""})
        add(190)
        with django_assert_num_queries(len(small.captured_queries)):
            response = client.get(CHANGELIST, {"all": ""})
        assert len(response.context["cl"].result_list) == 200  # every row rendered, same queries


ADMIN_DETAILS = {
    Status.ACCEPTED: {"move_grade": Grade.DIFFICULT},
    Status.DECLINED: {"move_note": "不属于工会维权受理范围"},
    Status.CLOSED: {"move_outcome": Outcome.RESOLVED, "move_amount_recovered": "1200.00", "move_settled": "true",
                    "move_satisfaction": "4"},
}
PAIRS = list(itertools.product(Status.values, Status.values))


@pytest.mark.parametrize(("current", "target"), PAIRS)
def test_every_move_through_the_change_form(client, rights_officer, make_case, current, target, sms_outbox, django_capture_on_commit_callbacks):
    case = make_case(current, actor=rights_officer)
    client.force_login(rights_officer)
    page = client.get(change_url(case))
    data = change_form_data(page, move_to=target, **ADMIN_DETAILS.get(target, {}))
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(case), data)
    case.refresh_from_db()
    if target in TRANSITIONS[current]:
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert case.status == target
        assert case.changes.last().actor == rights_officer
        assert len(sms_outbox) == 1
    else:
        assert response.status_code == 200
        assert f"当前状态“{Status(current).label}”不能变更为“{Status(target).label}”。" in response.content.decode()
        assert case.status == current
        assert sms_outbox == []


def test_change_form_explains_missing_details(client, rights_officer, make_case):
    case = make_case()
    client.force_login(rights_officer)
    data = change_form_data(client.get(change_url(case)), move_to=Status.ACCEPTED)
    response = client.post(change_url(case), data)
    assert "受理时请评定案件等级（一般、疑难或重大复杂）。" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_plain_edit_does_not_undo_a_move_made_meanwhile(client, rights_officer, make_case):
    case = make_case()
    client.force_login(rights_officer)
    page = client.get(change_url(case))
    from apps.rights.services import case_transition

    case_transition(case=case, target=Status.ACCEPTED, actor=rights_officer, grade=Grade.GENERAL)
    data = change_form_data(page, description="补充：职工另有加班费未付。")
    assert client.post(change_url(case), data).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.description == "补充：职工另有加班费未付。"


class TestActions:
    def test_action_moves_what_it_may_and_reports_the_rest(self, client, rights_officer, make_case):
        fresh, done = make_case(), make_case(Status.CLOSED)
        client.force_login(rights_officer)
        response = client.post(CHANGELIST, {"action": "accept_general", "_selected_action": [fresh.pk, done.pk]}, follow=True)
        body = response.content.decode()
        fresh.refresh_from_db()
        done.refresh_from_db()
        assert fresh.status == Status.ACCEPTED and fresh.grade == Grade.GENERAL
        assert done.status == Status.CLOSED
        assert "1 件案件已变更为“已受理”" in body
        assert f"{done.number}：当前状态“已结案”不能变更为“已受理”。" in body

    @pytest.mark.parametrize(
        ("action", "current", "target"),
        [
            ("to_mediation", Status.ACCEPTED, Status.MEDIATION),
            ("to_legal_aid", Status.MEDIATION, Status.LEGAL_AID),
            ("to_arbitration", Status.LEGAL_AID, Status.ARBITRATION),
            ("to_return_visit", Status.ARBITRATION, Status.RETURN_VISIT),
        ],
    )
    def test_each_action_calls_the_service(self, client, rights_officer, make_case, action, current, target):
        case = make_case(current)
        refused = make_case(Status.SUBMITTED)
        client.force_login(rights_officer)
        client.post(CHANGELIST, {"action": action, "_selected_action": [case.pk, refused.pk]})
        case.refresh_from_db()
        refused.refresh_from_db()
        assert case.status == target
        assert refused.status == Status.SUBMITTED


class TestStaffEntry:
    def test_hotline_case_entered_in_admin_gets_a_number_and_a_checked_attachment(self, client, rights_officer, employer, sms_outbox, django_capture_on_commit_callbacks):
        client.force_login(rights_officer)
        data = {
            "channel": Channel.HOTLINE, "category": "injury", "worker_name": "陈阿姨", "worker_phone": "13655556666",
            "employer": employer.pk, "description": "工伤后单位不申报工伤认定。", "amount_owed": "0",
            "attachments-TOTAL_FORMS": "1", "attachments-INITIAL_FORMS": "0", "attachments-MIN_NUM_FORMS": "0",
            "attachments-MAX_NUM_FORMS": "1000", "attachments-0-file": upload("诊断证明.pdf", PDF),
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(ADD, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        case = RightsCase.objects.get()
        assert case.channel == Channel.HOTLINE and case.created_by == rights_officer
        assert case.number.startswith(f"WQ{case.year}-")
        attachment = case.attachments.get()
        assert attachment.kind == "pdf" and attachment.uploaded_by == rights_officer
        assert "（12351热线）" in case.changes.get().note
        assert [m.phone for m in sms_outbox] == ["13655556666"]

    def test_admin_refuses_an_executable_attachment(self, client, rights_officer, employer):
        client.force_login(rights_officer)
        data = {
            "channel": Channel.WALK_IN, "category": "wages", "worker_name": "陈阿姨", "worker_phone": "13655556666",
            "employer": employer.pk, "description": "拖欠工资。", "amount_owed": "0",
            "attachments-TOTAL_FORMS": "1", "attachments-INITIAL_FORMS": "0", "attachments-MIN_NUM_FORMS": "0",
            "attachments-MAX_NUM_FORMS": "1000", "attachments-0-file": upload("a.pdf", EXE),
        }
        response = client.post(ADD, data)
        assert response.status_code == 200
        assert "只接受图片（JPEG、PNG、WebP）或 PDF 文件。" in response.content.decode()
        assert not RightsCase.objects.exists() and not CaseAttachment.objects.exists()

    def test_non_member_entry_needs_name_and_phone(self, client, rights_officer, employer):
        client.force_login(rights_officer)
        data = {"channel": Channel.WALK_IN, "category": "wages", "employer": employer.pk, "description": "拖欠工资。",
                "amount_owed": "0", "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0"}
        body = client.post(ADD, data).content.decode()
        assert "非会员请填写职工姓名。" in body and "非会员请填写联系电话。" in body
        assert not RightsCase.objects.exists()


class TestLeadershipNumbers:
    def test_stats_page_counts_in_the_database(self, client, staff_of, make_case, rights_officer):
        make_case(Status.CLOSED, category="wages")
        make_case(Status.CLOSED, category="wages")
        late = make_case(Status.MEDIATION, category="injury", channel=Channel.HOTLINE)
        set_due(late, -1)
        client.force_login(staff_of(roles.LEADERSHIP))
        response = client.get(reverse("admin:rights_rightscase_stats"))
        stats = response.context["stats"]
        totals = stats["totals"]
        assert (totals["total"], totals["closed"], totals["overdue"]) == (3, 2, 1)
        assert totals["recovered"] == 2 * 3200 and totals["on_time_rate"] == 1.0 and totals["satisfaction_avg"] == 5
        assert {r["category"]: r["n"] for r in stats["by_category"]} == {"wages": 2, "injury": 1}
        assert {r["channel"]: r["n"] for r in stats["by_channel"]} == {"online": 2, "hotline": 1}
        assert {r["label"]: r["n"] for r in stats["by_town"]} == {"稠城": 3}
        assert {r["outcome"]: r["n"] for r in stats["by_outcome"]} == {"resolved": 2}
        assert "按时办结率" in response.content.decode()

    def test_export_neutralises_formulas(self, client, rights_officer, make_case):
        make_case(employer=None, employer_name="=HYPERLINK(\"http://evil\",\"点我\")", town_street=None,
                  worker_name="+cmd|' /C calc'!A0")
        client.force_login(rights_officer)
        response = client.get(reverse("admin:rights_rightscase_export"))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == "案件编号"
        assert rows[1][6] == "'=HYPERLINK(\"http://evil\",\"点我\")"
        assert rows[1][7].startswith("'+")  # the masked name keeps its first character, defused

    def test_summary_export_has_the_totals(self, client, rights_officer, make_case):
        make_case(Status.CLOSED)
        client.force_login(rights_officer)
        response = client.get(reverse("admin:rights_rightscase_export"), {"what": "summary"})
        rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
        assert rows[1] == ("合计", "案件总数", 1, 3200)
        assert ("类别", "拖欠工资", 1, 3200) in rows

    def test_other_groups_cannot_export(self, client, staff_of, make_case):
        make_case()
        client.force_login(staff_of(roles.ECONOMIC))
        assert client.get(reverse("admin:rights_rightscase_export")).status_code == 403


# ---- evidence is append-only -------------------------------------------------------------
def test_staff_cannot_delete_a_case_file_only_withdraw_it(client, rights_officer, make_case):
    from apps.core.errors import EvidenceIsKept
    from apps.rights.models import CaseAttachment

    from .conftest import png_bytes

    case_with_file = make_case(attachments=[("pay.png", png_bytes())])
    rights_staff = rights_officer
    attachment = case_with_file.attachments.get()
    client.force_login(rights_staff)
    assert client.get(f"/admin/rights/caseattachment/{attachment.pk}/delete/").status_code == 403
    page = client.get(f"/admin/rights/caseattachment/{attachment.pk}/change/")
    assert page.status_code == 200 and "撤回原因" in page.content.decode()
    response = client.post(f"/admin/rights/caseattachment/{attachment.pk}/change/", {"reason": "上传错了文件"})
    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.is_withdrawn and attachment.withdrawn_by == rights_staff
    assert attachment.withdrawn_reason == "上传错了文件"
    with pytest.raises(EvidenceIsKept):
        attachment.delete()
    assert CaseAttachment.objects.filter(pk=attachment.pk).exists()
    case_page = client.get(f"/admin/rights/rightscase/{case_with_file.pk}/change/").content.decode()
    assert "已撤回：上传错了文件" in case_page
class TestWorkerIdNumberMasked:
    """权益保障部 and 领导 lack members.view_full_document: the number is masked everywhere."""

    FULL = "330782198307190036"
    OLD = "33078219791123001X"

    @pytest.fixture
    def case(self, make_case):
        case = make_case(channel=Channel.WALK_IN, worker_id_number=self.OLD)
        case.worker_id_number = self.FULL
        case.save()  # a history row with the number changing
        return case

    @pytest.mark.parametrize("group", [roles.RIGHTS, roles.LEADERSHIP])
    def test_change_and_history_pages_mask_it(self, client, staff_of, case, group):
        client.force_login(staff_of(group))
        page = client.get(change_url(case)).content.decode()
        assert "3307**********0036" in page
        history = client.get(reverse("admin:rights_rightscase_history", args=[case.pk])).content.decode()
        versions = case.history.values_list("history_id", flat=True)
        old = [client.get(reverse("admin:rights_rightscase_simple_history", args=[case.pk, v])).content.decode()
               for v in versions]
        for body in [page, history, *old]:
            assert self.FULL not in body and self.OLD not in body
            assert "19830719" not in body and "1983-07-19" not in body
        assert "3307**********001X" in history

    def test_staff_edit_keeps_the_number(self, client, rights_officer, case):
        client.force_login(rights_officer)
        response = client.get(change_url(case))
        assert "worker_id_number" not in response.context["adminform"].form.fields
        client.post(change_url(case), change_form_data(response, description="补充：公司已承认欠薪。"))
        case.refresh_from_db()
        assert case.worker_id_number == self.FULL and case.description == "补充：公司已承认欠薪。"
