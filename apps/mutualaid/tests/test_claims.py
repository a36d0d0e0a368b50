"""Claims: every refusal, numbering, the workflow and who may make each move, the member told
at each step, approval computing the amount under the caps."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.models import Allowance
from apps.core.workflow import DetailRequired, IllegalTransition, MoveNotPermitted
from apps.mutualaid import errors
from apps.mutualaid.models import Claim, ClaimStatusChange, Status
from apps.mutualaid.services import claim_transition, enrolment_create
from apps.notify.models import Notification
from tests.factories import MemberFactory

from .conftest import D, receipt, scheme_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(member, enrol):
    enrol(member)
    return member


def test_claim_gets_a_gapless_number_and_tells_the_member(enrolled, make_claim, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = make_claim(enrolled)
        second = make_claim(enrolled)
    year = timezone.localdate().year
    assert first.number == f"HZ{year}-000001" and second.number == f"HZ{year}-000002"
    assert first.receipts.count() == 1
    assert Notification.objects.filter(member=enrolled, title="互助金申请已收到").count() == 2
    assert any(first.number in m.text for m in sms_outbox if m.phone == enrolled.phone)
    change = ClaimStatusChange.objects.get(claim=first)
    assert (change.to_status, change.member) == (Status.SUBMITTED, enrolled)


def test_same_form_twice_creates_one_claim(enrolled, make_claim):
    token = uuid.uuid4()
    first = make_claim(enrolled, idempotency_key=token, days_ago=20)
    again = make_claim(enrolled, idempotency_key=token, days_ago=20)
    assert first.pk == again.pk and Claim.objects.count() == 1


def test_not_enrolled_is_refused(member, scheme, make_claim):
    with pytest.raises(errors.NotEnrolled) as exc:
        make_claim(member)
    assert str(exc.value) == "您未参加职工医疗互助保障，不能申请互助金。请联系所在基层工会办理参保。"


def test_admission_outside_cover_is_refused(enrolled, make_claim, scheme):
    with pytest.raises(errors.OutsideCover) as exc:
        make_claim(enrolled, days_ago=320)
    assert "入院日期不在保障期内" in str(exc.value)
    assert not Claim.objects.exists()


def test_admission_in_waiting_period_is_refused(member, scheme, make_claim, today):
    enrolment_create(member=member, year=scheme.year, actor=None, enrolled_on=today - datetime.timedelta(days=30))
    with pytest.raises(errors.InWaitingPeriod) as exc:
        make_claim(member, days_ago=20)
    last = today - datetime.timedelta(days=30) + datetime.timedelta(days=89)
    assert str(exc.value) == f"入院日期在首次参保的等待期内（等待期至{last.year}年{last.month}月{last.day}日），不能申请。"


def test_renewal_without_a_break_has_no_waiting_period(member, scheme, make_claim, today):
    last_year = scheme_build(year=scheme.year - 1, cover_start=scheme.cover_start - datetime.timedelta(days=365),
                             cover_end=scheme.cover_start - datetime.timedelta(days=1))
    enrolment_create(member=member, year=last_year.year, actor=None, enrolled_on=last_year.cover_start)
    enrolment = enrolment_create(member=member, year=scheme.year, actor=None,
                                 enrolled_on=today - datetime.timedelta(days=30))
    assert enrolment.is_renewal and enrolment.covered_from == scheme.cover_start and enrolment.waiting_ends_on is None
    claim = make_claim(member, days_ago=20)
    assert claim.enrolment == enrolment


def test_claim_after_deadline_is_refused(enrolled, make_claim, scheme):
    scheme.claim_deadline_days = 5
    scheme.save()
    with pytest.raises(errors.ClaimTooLate) as exc:
        make_claim(enrolled, days_ago=20, stay=3)
    assert "已超过申请期限：应在出院后5天内" in str(exc.value)


def test_parts_that_do_not_add_up_are_refused(enrolled, make_claim):
    with pytest.raises(errors.PartsDoNotAddUp) as exc:
        make_claim(enrolled, total_cost=D("10000"), insurance_paid=D("4000"), out_of_pocket=D("5000"))
    assert str(exc.value) == "金额对不上：基本医保支付 4000 元加个人自付 5000 元应等于医疗总费用 10000 元。"


def test_negative_amounts_and_dates_out_of_order_are_refused(enrolled, make_claim, today):
    with pytest.raises(errors.NegativeAmount):
        make_claim(enrolled, total_cost=D("1000"), insurance_paid=D("2000"), out_of_pocket=D("-1000"))
    with pytest.raises(errors.DatesOutOfOrder):
        make_claim(enrolled, admitted_on=today - datetime.timedelta(days=5), discharged_on=today - datetime.timedelta(days=8))
    with pytest.raises(errors.DischargeInFuture):
        make_claim(enrolled, admitted_on=today - datetime.timedelta(days=2), discharged_on=today + datetime.timedelta(days=1))


def test_overlapping_stay_claimed_twice_is_refused(enrolled, make_claim):
    first = make_claim(enrolled, days_ago=30, stay=5)
    with pytest.raises(errors.StayClaimedTwice) as exc:
        make_claim(enrolled, days_ago=27, stay=1)
    assert first.number in str(exc.value)
    assert Claim.objects.count() == 1


def test_declined_stay_may_be_filed_again(enrolled, make_claim):
    make_claim(enrolled, status=Status.DECLINED, days_ago=30, stay=5)
    assert make_claim(enrolled, days_ago=30, stay=5).status == Status.SUBMITTED


def test_benefit_type_not_in_scheme_is_refused(enrolled, make_claim):
    with pytest.raises(errors.BenefitNotInScheme) as exc:
        make_claim(enrolled, benefit_code="dental")
    assert str(exc.value) == "适用的互助保障计划中没有这一保障项目。"


def test_women_only_benefit_and_fixed_item(enrolled, make_claim):
    enrolled.gender = "M"
    enrolled.save()
    with pytest.raises(errors.BenefitWomenOnly):
        make_claim(enrolled, benefit_code="women", fixed_item_name="乳腺癌")
    with pytest.raises(errors.FixedItemRequired):
        make_claim(enrolled, benefit_code="critical", fixed_item_name="感冒")


def test_receipts_required(enrolled, make_claim):
    with pytest.raises(errors.ReceiptsRequired):
        make_claim(enrolled, receipts=[])


# --- workflow ----------------------------------------------------------------------------------

def test_agency_checks_office_approves_and_pays_member_told_each_step(enrolled, make_claim, agency, mutual_office,
                                                                      today, sms_outbox,
                                                                      django_capture_on_commit_callbacks):
    claim = make_claim(enrolled, out_of_pocket=D("11000"))
    with django_capture_on_commit_callbacks(execute=True):
        claim = claim_transition(claim=claim, target=Status.CHECKED, actor=agency)
        claim = claim_transition(claim=claim, target=Status.APPROVED, actor=mutual_office)
        claim = claim_transition(claim=claim, target=Status.PAID, actor=mutual_office, paid_on=today, reference="YH20")
    assert claim.originals_checked and claim.payable_amount == D("5000.00")
    assert claim.calculation[-1] == {"label": "核准金额", "amount": "5000.00"}
    titles = list(Notification.objects.filter(member=enrolled).order_by("id").values_list("title", flat=True))
    assert titles == ["互助金申请已收到", "互助金申请已审核", "互助金申请已核准", "互助金已拨付"]
    assert any("5,000.00" in m.text for m in sms_outbox)
    changes = list(claim.changes.order_by("id").values_list("to_status", "actor"))
    assert changes == [(Status.SUBMITTED, None), (Status.CHECKED, agency.pk), (Status.APPROVED, mutual_office.pk),
                       (Status.PAID, mutual_office.pk)]
    assert Allowance.objects.get(key=f"mutualaid.cap:member={enrolled.pk}:year={claim.enrolment.year}:type=all").used \
        == D("5000.00")


def test_agency_of_another_town_may_not_check(enrolled, make_claim, other_agency):
    claim = make_claim(enrolled)
    with pytest.raises(MoveNotPermitted):
        claim_transition(claim=claim, target=Status.CHECKED, actor=other_agency)


def test_agency_may_not_approve_and_officer_may_not_check(enrolled, make_claim, agency, officer):
    claim = make_claim(enrolled, status=Status.CHECKED)
    with pytest.raises(MoveNotPermitted):
        claim_transition(claim=claim, target=Status.APPROVED, actor=agency)
    with pytest.raises(MoveNotPermitted):
        claim_transition(claim=claim, target=Status.RETURNED, actor=officer, note="补材料")


def test_approval_before_check_is_illegal(enrolled, make_claim, mutual_office):
    claim = make_claim(enrolled)
    with pytest.raises(IllegalTransition):
        claim_transition(claim=claim, target=Status.APPROVED, actor=mutual_office)


def test_decline_needs_a_reason_and_paid_needs_date_and_reference(enrolled, make_claim, mutual_office):
    claim = make_claim(enrolled, status=Status.CHECKED)
    with pytest.raises(DetailRequired) as exc:
        claim_transition(claim=claim, target=Status.DECLINED, actor=mutual_office, note="  ")
    assert str(exc.value) == "请填写原因或需补充的材料。"
    approved = make_claim(enrolled, status=Status.APPROVED)
    with pytest.raises(DetailRequired):
        claim_transition(claim=approved, target=Status.PAID, actor=mutual_office, reference="YH1")


def test_returned_claim_resubmitted_by_its_member(enrolled, make_claim, other_member):
    claim = make_claim(enrolled, status=Status.RETURNED)
    assert claim.return_note == "材料不全"
    with pytest.raises(MoveNotPermitted):
        claim_transition(claim=claim, target=Status.SUBMITTED, actor=other_member.user)
    claim = claim_transition(claim=claim, target=Status.SUBMITTED, actor=enrolled.user)
    assert claim.status == Status.SUBMITTED


def test_second_claim_pays_only_what_is_left_of_the_cap(enrolled, make_claim):
    first = make_claim(enrolled, status=Status.APPROVED, out_of_pocket=D("80000"), insurance_paid=D("0"))
    second = make_claim(enrolled, status=Status.APPROVED, out_of_pocket=D("11000"))
    assert first.payable_amount == D("50000.00")
    assert second.payable_amount == D("0.00")
    assert any("本项目年度限额" in line["label"] for line in second.calculation)


def test_fixed_benefit_and_overall_cap(enrolled, make_claim):
    enrolled.gender = "F"
    enrolled.save()
    hospital = make_claim(enrolled, status=Status.APPROVED, out_of_pocket=D("80000"), insurance_paid=D("0"))
    critical = make_claim(enrolled, status=Status.APPROVED, benefit_code="critical", fixed_item_name="恶性肿瘤")
    women = make_claim(enrolled, status=Status.APPROVED, benefit_code="women", fixed_item_name="乳腺癌")
    assert (hospital.payable_amount, critical.payable_amount, women.payable_amount) == (
        D("50000.00"), D("20000.00"), D("10000.00"))
    extra = make_claim(enrolled, status=Status.APPROVED, benefit_code="women", fixed_item_name="宫颈癌")
    assert extra.payable_amount == D("0.00")  # both the type cap and the overall cap are used up


def test_version_in_force_on_admission_applies(enrolled, make_claim, scheme, today):
    from apps.mutualaid.services import scheme_version_create

    new = scheme_version_create(source=scheme, effective_from=today - datetime.timedelta(days=15))
    new.benefits.filter(code="hospital").update(deductible=Decimal("0"))
    before = make_claim(enrolled, days_ago=40, status=Status.APPROVED, out_of_pocket=D("1000"))
    after = make_claim(enrolled, days_ago=10, stay=2, status=Status.APPROVED, out_of_pocket=D("1000"))
    assert (before.scheme, before.payable_amount) == (scheme, D("0.00"))
    assert (after.scheme, after.payable_amount) == (new, D("500.00"))


def test_member_of_other_town_is_scoped_by_claim_town(make_claim, enrol, agency, other_agency):
    from apps.mutualaid.access import claims_for_staff

    fotang = MemberFactory(employer__town_street=other_agency.agency_roles.get().point.town_street)
    enrol(fotang)
    claim = make_claim(fotang, receipts=[receipt()])
    assert list(claims_for_staff(other_agency)) == [claim]
    assert list(claims_for_staff(agency)) == []


def test_payout_task_pays_a_batch_by_primary_key(enrolled, make_claim, mutual_office, today):
    from apps.mutualaid.models import PayoutBatch
    from apps.mutualaid.services import payout_batch_create
    from apps.mutualaid.tasks import payout_batch_pay_task

    claim = make_claim(enrolled, status=Status.APPROVED, out_of_pocket=D("11000"))
    batch = payout_batch_create(claims=Claim.objects.all(), actor=mutual_office)
    assert payout_batch_pay_task.apply(args=[batch.pk, today.isoformat(), "YH-9", mutual_office.pk]).get() == 1
    claim.refresh_from_db()
    assert claim.status == Status.PAID and PayoutBatch.objects.get().paid_on == today
    with pytest.raises(errors.BatchAlreadyPaid):
        payout_batch_pay_task.apply(args=[batch.pk, today.isoformat(), "YH-9"]).get()
    with pytest.raises(errors.BatchEmpty):
        payout_batch_create(claims=Claim.objects.all(), actor=mutual_office)
