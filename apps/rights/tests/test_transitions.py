"""The case workflow through the service: every allowed and refused move, what each move
records, and how the worker is told (after commit, once, whatever the SMS provider does)."""

import itertools
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from apps.accounts import roles
from apps.core.workflow import IllegalTransition
from apps.notify.models import Notification, SmsMessage
from apps.notify.sms import SmsSendError
from apps.rights.errors import (
    DeclineReasonRequired,
    GradeRequired,
    OutcomeRequired,
    RecoveredAmountNegative,
    RecoveredAmountRequired,
    ReturnVisitRequired,
    SatisfactionOutOfRange,
)
from apps.rights.models import (
    TRANSITIONS,
    CaseStatusChange,
    Grade,
    Outcome,
    Status,
    Step,
)
from apps.rights.selectors import time_limit_days
from apps.rights.services import case_note_add, case_transition
from apps.workdays.calendar import add_workdays

from .conftest import DETAILS

pytestmark = pytest.mark.django_db

ALL_PAIRS = list(itertools.product(Status.values, Status.values))
ALLOWED = [(a, b) for a, b in ALL_PAIRS if b in TRANSITIONS[a]]
REFUSED = [(a, b) for a, b in ALL_PAIRS if b not in TRANSITIONS[a]]


class BrokenSms:
    """An SMS provider that refuses everything."""

    def send(self, phone, text):
        raise SmsSendError("provider down")


def test_the_map_covers_every_status_and_has_terminal_states():
    assert set(TRANSITIONS) == set(Status.values)
    assert TRANSITIONS[Status.CLOSED] == () and TRANSITIONS[Status.DECLINED] == ()
    assert len(ALLOWED) == 16 and len(ALLOWED) + len(REFUSED) == 64


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_allowed_move_is_made_and_recorded(make_case, rights_officer, current, target):
    case = make_case(current)
    moved = case_transition(case=case, target=target, actor=rights_officer, note="电话联系职工", **{
        k: v for k, v in DETAILS.get(target, {}).items() if k != "note"
    })
    moved.refresh_from_db()
    assert moved.status == target
    change = moved.changes.order_by("-id").first()
    assert (change.from_status, change.to_status, change.actor) == (current, target, rights_officer)
    assert change.note == "电话联系职工"
    assert change.at is not None


@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_refused_move_changes_nothing(make_case, rights_officer, current, target):
    case = make_case(current)
    changes = case.changes.count()
    with pytest.raises(IllegalTransition) as refused:
        case_transition(case=case, target=target, actor=rights_officer, **DETAILS.get(target, {}))
    assert refused.value.message == f"当前状态“{Status(current).label}”不能变更为“{Status(target).label}”。"
    case.refresh_from_db()
    assert case.status == current
    assert case.changes.count() == changes


def test_the_service_checks_the_locked_row_not_the_callers_copy(make_case, rights_officer):
    case = make_case(Status.SUBMITTED)
    stale = type(case).objects.get(pk=case.pk)
    case_transition(case=case, target=Status.DECLINED, actor=rights_officer, note="非劳动争议")
    with pytest.raises(IllegalTransition):
        case_transition(case=stale, target=Status.ACCEPTED, actor=rights_officer, grade=Grade.GENERAL)
    stale.refresh_from_db()
    assert stale.status == Status.DECLINED


class TestDetailsEachMoveNeeds:
    def test_accepting_needs_a_grade(self, make_case, rights_officer):
        case = make_case()
        with pytest.raises(GradeRequired) as refused:
            case_transition(case=case, target=Status.ACCEPTED, actor=rights_officer)
        assert refused.value.message == "受理时请评定案件等级（一般、疑难或重大复杂）。"

    def test_accepting_sets_grade_handler_and_the_assign_deadline(self, make_case, rights_officer):
        case = make_case()
        case = case_transition(case=case, target=Status.ACCEPTED, actor=rights_officer, grade=Grade.DIFFICULT)
        assert case.grade == Grade.DIFFICULT
        assert case.handler == rights_officer
        assert case.accepted_at is not None
        days = time_limit_days(category=case.category, grade=Grade.DIFFICULT, step=Step.ASSIGN)
        assert case.due_on == add_workdays(timezone.localdate(), days)

    def test_declining_needs_a_reason_which_the_worker_may_read(self, make_case, rights_officer):
        case = make_case()
        with pytest.raises(DeclineReasonRequired):
            case_transition(case=case, target=Status.DECLINED, actor=rights_officer, note="  ")
        case = case_transition(case=case, target=Status.DECLINED, actor=rights_officer, note="已超过仲裁时效", internal=True)
        assert case.decline_reason == "已超过仲裁时效"
        assert case.due_on is None
        assert case.changes.last().is_internal is False

    @pytest.mark.parametrize(
        ("details", "error"),
        [
            ({"outcome": Outcome.RESOLVED, "amount_recovered": Decimal("1")}, ReturnVisitRequired),
            ({"settled": True, "amount_recovered": Decimal("1")}, OutcomeRequired),
            ({"settled": True, "outcome": Outcome.RESOLVED}, RecoveredAmountRequired),
            ({"settled": True, "outcome": Outcome.RESOLVED, "amount_recovered": Decimal("-1")}, RecoveredAmountNegative),
            ({"settled": True, "outcome": Outcome.RESOLVED, "amount_recovered": Decimal("0"), "satisfaction": 6},
             SatisfactionOutOfRange),
        ],
    )
    def test_closing_needs_the_return_visit_outcome_and_money(self, make_case, rights_officer, details, error):
        case = make_case(Status.RETURN_VISIT)
        with pytest.raises(error):
            case_transition(case=case, target=Status.CLOSED, actor=rights_officer, **details)
        case.refresh_from_db()
        assert case.status == Status.RETURN_VISIT

    def test_closing_records_the_return_visit_and_clears_the_deadline(self, make_case, rights_officer):
        case = make_case(Status.RETURN_VISIT)
        case = case_transition(
            case=case, target=Status.CLOSED, actor=rights_officer, outcome=Outcome.PARTLY,
            amount_recovered=Decimal("4500.50"), settled=False, satisfaction=3,
        )
        case.refresh_from_db()
        assert (case.outcome, case.amount_recovered, case.settled, case.satisfaction) == (
            Outcome.PARTLY, Decimal("4500.50"), False, 3,
        )
        assert case.due_on is None and case.closed_at is not None


def test_a_move_after_the_deadline_is_marked_late(make_case, rights_officer):
    case = make_case()
    type(case).objects.filter(pk=case.pk).update(due_on=timezone.localdate() - timezone.timedelta(days=3))
    case_transition(case=case, target=Status.ACCEPTED, actor=rights_officer, grade=Grade.GENERAL)
    change = case.changes.last()
    assert change.was_late is True
    assert change.due_on == timezone.localdate() - timezone.timedelta(days=3)


def test_a_note_is_kept_in_the_history_without_a_move(make_case, rights_officer):
    case = make_case(Status.MEDIATION)
    note = case_note_add(case=case, actor=rights_officer, note="单位负责人拒接电话")
    assert (note.from_status, note.to_status, note.is_internal) == (Status.MEDIATION, Status.MEDIATION, True)


class TestTellingTheWorker:
    def test_non_member_gets_one_sms_after_commit(self, make_case, rights_officer, sms_outbox, django_capture_on_commit_callbacks):
        case = make_case()
        sms_outbox.clear()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            case_transition(case=case, target=Status.ACCEPTED, actor=rights_officer, grade=Grade.GENERAL)
            assert sms_outbox == []  # nothing leaves before the decision commits
        for callback in callbacks:
            callback()
        assert [m.phone for m in sms_outbox] == [case.worker_phone]
        assert f"您的案件 {case.number} 已受理" in sms_outbox[0].text
        assert sms_outbox[0].text.startswith("【义乌市总工会】")

    def test_member_gets_an_inbox_message_and_one_sms(self, make_case, member, rights_officer, sms_outbox, django_capture_on_commit_callbacks):
        case = make_case(member=member)
        sms_outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            case_transition(case=case, target=Status.DECLINED, actor=rights_officer, note="已超过仲裁时效")
        assert len(sms_outbox) == 1 and sms_outbox[0].phone == member.phone
        assert "不予受理，原因：已超过仲裁时效" in sms_outbox[0].text
        notice = Notification.objects.filter(member=member).first()
        assert notice.title == "维权案件不予受理"
        assert notice.link == f"/me/rights/{case.number}/"

    def test_rolled_back_decision_sends_nothing(self, make_case, rights_officer, sms_outbox, django_capture_on_commit_callbacks):
        case = make_case()
        sms_outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            with pytest.raises(RuntimeError):
                with transaction.atomic():
                    case_transition(case=case, target=Status.ACCEPTED, actor=rights_officer, grade=Grade.GENERAL)
                    raise RuntimeError("something later in the same request failed")
        assert sms_outbox == []
        case.refresh_from_db()
        assert case.status == Status.SUBMITTED
        assert not SmsMessage.objects.filter(purpose="rights", text__contains="已受理").exists()

    @override_settings(SMS_BACKEND="apps.rights.tests.test_transitions.BrokenSms")
    def test_failing_sms_backend_leaves_the_decision_saved(self, make_case, rights_officer, django_capture_on_commit_callbacks):
        case = make_case()
        with django_capture_on_commit_callbacks(execute=True):
            case_transition(case=case, target=Status.ACCEPTED, actor=rights_officer, grade=Grade.GENERAL)
        case.refresh_from_db()
        assert case.status == Status.ACCEPTED
        assert CaseStatusChange.objects.filter(case=case, to_status=Status.ACCEPTED).exists()
        message = SmsMessage.objects.filter(purpose="rights", text__contains="已受理").get()
        assert message.status != SmsMessage.Status.SENT
        assert message.last_error == "provider down"

    def test_internal_note_is_not_sent(self, make_case, rights_officer, sms_outbox, django_capture_on_commit_callbacks):
        case = make_case(Status.ACCEPTED)
        sms_outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            case_transition(case=case, target=Status.MEDIATION, actor=rights_officer, note="单位老板态度恶劣", internal=True)
        assert len(sms_outbox) == 1
        assert "转入调解" in sms_outbox[0].text
        assert "态度恶劣" not in sms_outbox[0].text


@pytest.mark.parametrize("group", [roles.ORGANISATION, roles.AID, roles.LEADERSHIP, roles.UNION_OFFICER])
def test_only_rights_staff_may_move_a_case(make_case, staff_of, group):
    from apps.core.workflow import MoveNotPermitted

    case = make_case()
    with pytest.raises(MoveNotPermitted):
        case_transition(case=case, target=Status.ACCEPTED, actor=staff_of(group), grade=Grade.GENERAL)
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and not case.changes.filter(to_status=Status.ACCEPTED).exists()
