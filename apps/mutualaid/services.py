"""Everything that changes mutual-aid data. The member's form, the agency point's admin page,
the officer's enrolment screens, the Excel import and the demo generators call these.

- scheme_assert_editable, scheme_copy, scheme_version_create: the yearly scheme and its rules.
- enrolment_create, enrolments_import, contribution_record: enrolment by unions.
- claim_submit: a claim online or at an agency point (every refusal checked here).
- claim_transition: the one way a claim changes status (the payable amount under cap locks).
- payout_batch_create, payout_batch_pay: payout to the bank.
"""

import datetime
import re
import uuid
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.limits import Limit, limits_lock, limits_take
from apps.core.models import sequence_next
from apps.core.uploads import CleanDocument
from apps.core.workflow import Move, Workflow, any_of
from apps.notify.services import decision_key, member_notify
from apps.notify.texts import sms_template_register
from apps.orgs.selectors import agency_town_ids, in_scope, officer_union_ids

from .calculation import Calculation, Rules, Tier, payable_compute
from .errors import (
    AlreadyEnrolled,
    BatchAlreadyPaid,
    BatchEmpty,
    BenefitNotInScheme,
    BenefitWomenOnly,
    ClaimTooLate,
    DatesOutOfOrder,
    DischargeInFuture,
    FixedItemRequired,
    InWaitingPeriod,
    MemberNotActive,
    MemberNotInUnion,
    NegativeAmount,
    NotEnrolled,
    OutsideCover,
    PartsDoNotAddUp,
    ReceiptsRequired,
    SchemeExists,
    SchemeLocked,
    SchemeMissing,
    StayClaimedTwice,
    TooManyReceipts,
    VersionDateInvalid,
)
from .models import (
    LIVE_STATUSES,
    BenefitKind,
    BenefitTier,
    BenefitType,
    Channel,
    Claim,
    ClaimReceipt,
    ClaimStatusChange,
    ContributionPayment,
    Enrolment,
    FixedBenefit,
    PayoutBatch,
    Scheme,
    Status,
)

NUMBER_SEQUENCE = "mutualaid_claim"
BATCH_SEQUENCE = "mutualaid_batch"
MAX_RECEIPTS = 12


# --- the claim workflow ------------------------------------------------------------------------

def _agency_of_claim(actor, claim) -> bool:
    """Agency-point staff of the claim's town/street, or unscoped office staff."""
    return in_scope(actor, town_id=claim.town_street_id) and not officer_union_ids(actor)


def _claim_owner(actor, claim) -> bool:
    member = getattr(actor, "member", None)
    return member is not None and member.pk == claim.member_id


def _agency_with_check(actor, claim) -> bool:
    return actor.has_perm("mutualaid.check_claim") and _agency_of_claim(actor, claim)


CLAIM_FLOW = Workflow(
    "mutualaid.claim",
    [
        Move(Status.SUBMITTED, Status.CHECKED, permission="mutualaid.check_claim", may=_agency_of_claim),
        Move((Status.SUBMITTED, Status.CHECKED), Status.RETURNED, may=any_of(
            _agency_with_check, lambda actor, claim: actor.has_perm("mutualaid.approve_claim"),
        ), requires=("note",)),
        Move(Status.RETURNED, Status.SUBMITTED, may=any_of(_claim_owner, _agency_with_check)),
        Move(Status.CHECKED, Status.APPROVED, permission="mutualaid.approve_claim"),
        Move((Status.SUBMITTED, Status.CHECKED), Status.DECLINED, permission="mutualaid.approve_claim",
             requires=("note",)),
        Move(Status.APPROVED, Status.PAID, permission="mutualaid.pay_claim", requires=("paid_on", "reference"),
             system=True),
    ],
    labels={"note": gettext_lazy("原因或需补充的材料"), "paid_on": gettext_lazy("拨付日期"),
            "reference": gettext_lazy("拨付凭证号")},
)


# --- schemes -----------------------------------------------------------------------------------

def scheme_assert_editable(scheme: Scheme) -> None:
    """Raise SchemeLocked when members are enrolled under or have claimed by this version."""
    if scheme.pk and scheme.is_locked:
        raise SchemeLocked()


def _shift_year(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _rules_copy(*, source: Scheme, target: Scheme) -> None:
    for benefit in source.benefits.prefetch_related("tiers", "items"):
        copy = BenefitType.objects.create(
            scheme=target, code=benefit.code, name=benefit.name, kind=benefit.kind, deductible=benefit.deductible,
            yearly_cap=benefit.yearly_cap, women_only=benefit.women_only, sort_order=benefit.sort_order,
        )
        BenefitTier.objects.bulk_create(
            [BenefitTier(benefit=copy, upper_bound=t.upper_bound, ratio=t.ratio) for t in benefit.tiers.all()]
        )
        FixedBenefit.objects.bulk_create(
            [FixedBenefit(benefit=copy, name=i.name, amount=i.amount, sort_order=i.sort_order) for i in benefit.items.all()]
        )


def scheme_copy(*, source: Scheme, year: int) -> Scheme:
    """A new year's scheme with the rules of `source` (its dates moved to `year`), version 1.
    Raises SchemeExists when that year already has one."""
    years = year - source.year
    with transaction.atomic():
        if Scheme.objects.filter(year=year).exists():
            raise SchemeExists(year)
        scheme = Scheme.objects.create(
            year=year, version=1, name=source.name.replace(str(source.year), str(year)),
            effective_from=_shift_year(source.cover_start, years), contribution=source.contribution,
            cover_start=_shift_year(source.cover_start, years), cover_end=_shift_year(source.cover_end, years),
            waiting_days=source.waiting_days, claim_deadline_days=source.claim_deadline_days,
            overall_cap=source.overall_cap, is_active=True,
        )
        _rules_copy(source=source, target=scheme)
    return scheme


def scheme_version_create(*, source: Scheme, effective_from: datetime.date) -> Scheme:
    """A corrected version of a year's scheme applying to admissions from `effective_from`;
    the rules start as a copy of `source` and stay editable until first used. Claims admitted
    before that date keep the old version's rules."""
    with transaction.atomic():
        latest = Scheme.objects.select_for_update().filter(year=source.year).order_by("-version").first()
        if not (latest.effective_from < effective_from <= source.cover_end) or effective_from < source.cover_start:
            raise VersionDateInvalid()
        scheme = Scheme.objects.create(
            year=source.year, version=latest.version + 1, name=source.name, effective_from=effective_from,
            contribution=source.contribution, cover_start=source.cover_start, cover_end=source.cover_end,
            waiting_days=source.waiting_days, claim_deadline_days=source.claim_deadline_days,
            overall_cap=source.overall_cap, is_active=source.is_active,
        )
        _rules_copy(source=source, target=scheme)
    return scheme


def scheme_for_enrolment(year: int) -> Scheme:
    """The first version of a year's scheme open for enrolment (raises SchemeMissing)."""
    scheme = Scheme.objects.filter(year=year, is_active=True).order_by("version").first()
    if scheme is None:
        raise SchemeMissing(year)
    return scheme


def scheme_in_force(*, year: int, on: datetime.date) -> Scheme | None:
    """The version of `year`'s scheme whose rules apply to an admission on `on`."""
    return (
        Scheme.objects.filter(year=year, effective_from__lte=on).order_by("-effective_from", "-version").first()
        or Scheme.objects.filter(year=year).order_by("version").first()
    )


# --- enrolment ---------------------------------------------------------------------------------

def enrolment_check(*, member, actor) -> None:
    """Raise MemberNotActive, or MemberNotInUnion when a union officer names another union's member."""
    from apps.members.models import Member

    if member.status != Member.Status.ACTIVE:
        raise MemberNotActive(member.name)
    unions = officer_union_ids(actor) if actor is not None else []
    if actor is not None and not actor.is_superuser and (unions or agency_town_ids(actor)):
        if member.union_id not in unions:
            raise MemberNotInUnion(member.name)


def enrolment_create(*, member, year: int, actor, enrolled_on: datetime.date | None = None) -> Enrolment:
    """Enrol one member in `year`'s scheme. An officer enrols only its own union's members
    (MemberNotInUnion); a member is enrolled once a year (AlreadyEnrolled, backed by the unique
    constraint). A member enrolled the year before is a renewal without waiting period."""
    scheme = scheme_for_enrolment(year)
    enrolment_check(member=member, actor=actor)
    enrolled_on = enrolled_on or timezone.localdate()
    renewal = Enrolment.objects.filter(member=member, year=year - 1).exists()
    start = max(scheme.cover_start, enrolled_on)
    covered_from = scheme.cover_start if renewal else start + datetime.timedelta(days=scheme.waiting_days)
    try:
        with transaction.atomic():
            return Enrolment.objects.create(
                scheme=scheme, year=year, member=member, union_id=member.union_id, town_street_id=member.town_street_id,
                contribution=scheme.contribution, enrolled_on=enrolled_on, is_renewal=renewal,
                covered_from=covered_from, enrolled_by=actor,
            )
    except IntegrityError:
        raise AlreadyEnrolled(member.name, year) from None


def enrolments_import(*, members: list, year: int, actor) -> list[Enrolment]:
    """Enrol every member of a checked list (`imports.EnrolmentImport` reports the bad rows
    by line first), or nobody: one transaction, so a member enrolled by someone else at the
    same moment (AlreadyEnrolled from `enrolment_create`) rolls the whole list back."""
    scheme_for_enrolment(year)
    with transaction.atomic():
        return [enrolment_create(member=member, year=year, actor=actor) for member in members]


def contribution_record(*, union, year: int, amount: Decimal, paid_on: datetime.date, reference: str = "",
                        actor=None) -> ContributionPayment:
    """Record money a union paid in for its members' contributions of `year`."""
    if amount is None or Decimal(amount) <= 0:
        raise NegativeAmount()
    return ContributionPayment.objects.create(
        union=union, year=year, amount=amount, paid_on=paid_on, reference=reference.strip(), recorded_by=actor,
    )


# --- claims ------------------------------------------------------------------------------------

def claim_context(*, member, benefit_code: str, fixed_item_name: str = "", admitted_on: datetime.date,
                  discharged_on: datetime.date, total_cost: Decimal, insurance_paid: Decimal,
                  out_of_pocket: Decimal, today: datetime.date | None = None):
    """Check a claim's facts against the rules and return (enrolment, scheme, benefit, item),
    or raise the refusal: dates out of order, discharge in the future, negative amounts, parts
    not adding up, not enrolled, admission outside cover or in the waiting period, too late,
    a benefit the scheme lacks, a women-only benefit, a missing listed item. Forms call it to
    show the refusal; `claim_submit` calls it again under the member's lock."""
    today = today or timezone.localdate()
    if discharged_on < admitted_on:
        raise DatesOutOfOrder()
    if discharged_on > today:
        raise DischargeInFuture()
    if min(total_cost, insurance_paid, out_of_pocket) < 0:
        raise NegativeAmount()
    if insurance_paid + out_of_pocket != total_cost:
        raise PartsDoNotAddUp(total_cost, insurance_paid, out_of_pocket)
    enrolments = list(Enrolment.objects.filter(member=member).select_related("scheme").order_by("-year"))
    if not enrolments:
        raise NotEnrolled()
    enrolment = next(
        (e for e in enrolments if e.scheme.cover_start <= admitted_on <= e.scheme.cover_end), None
    )
    if enrolment is None:
        nearest = enrolments[0].scheme
        raise OutsideCover(nearest.cover_start, nearest.cover_end)
    if admitted_on < enrolment.covered_from:
        raise InWaitingPeriod(enrolment.covered_from - datetime.timedelta(days=1))
    scheme = scheme_in_force(year=enrolment.year, on=admitted_on)
    deadline = discharged_on + datetime.timedelta(days=scheme.claim_deadline_days)
    if today > deadline:
        raise ClaimTooLate(scheme.claim_deadline_days, deadline)
    benefit = scheme.benefits.filter(code=benefit_code).first()
    if benefit is None:
        raise BenefitNotInScheme()
    if benefit.women_only and member.gender != "F":
        raise BenefitWomenOnly()
    item = None
    if benefit.kind == BenefitKind.FIXED:
        item = benefit.items.filter(name=fixed_item_name).first()
        if item is None:
            raise FixedItemRequired()
    return enrolment, scheme, benefit, item


RECEIVED = "received"
CLAIM_MESSAGES = {
    RECEIVED: (_("互助金申请已收到"), _("您的互助金申请已登记，编号 %(number)s。请将票据原件交所在镇街代办点核验。")),
    Status.CHECKED: (_("互助金申请已审核"), _("申请 %(number)s 已由代办点核验材料，正在核准。")),
    Status.RETURNED: (_("互助金申请需补充材料"), _("申请 %(number)s 需补充材料：%(note)s")),
    Status.SUBMITTED: (_("互助金申请已重新提交"), _("申请 %(number)s 已补充材料并重新提交。")),
    Status.APPROVED: (_("互助金申请已核准"), _("申请 %(number)s 已核准，互助金 %(amount)s 元，将拨付至您的银行账户。")),
    Status.DECLINED: (_("互助金申请未获给付"), _("申请 %(number)s 不予给付，原因：%(note)s")),
    Status.PAID: (_("互助金已拨付"), _("申请 %(number)s 的互助金 %(amount)s 元已于 %(day)s 拨付。")),
}
# The SMS of each step, editable in admin (SmsTemplate); by default the inbox wording.
SMS_CLAIM = {
    status: sms_template_register(
        f"mutualaid.claim_{status}", name=str(title), text=re.sub(r"%\((\w+)\)s", r"{\1}", str(body)),
        placeholders=["number", "note", "amount", "day"],
    )
    for status, (title, body) in CLAIM_MESSAGES.items()
}


def _member_tell(claim: Claim, step: str, values: dict | None = None) -> None:
    """Tell the member of the claim's step, once per entry into it (returned, resubmitted and
    returned again are separate decisions: the round is in the key)."""
    values = {"number": claim.number, "note": "", "amount": "", "day": "", **(values or {})}
    title, body = CLAIM_MESSAGES[step]
    status = Status.SUBMITTED if step == RECEIVED else step
    entered = ClaimStatusChange.objects.filter(claim=claim, to_status=status).count()
    member_notify(
        member=claim.member, title=str(title), body=body % values,
        link=reverse("mutualaid:detail", kwargs={"number": claim.number}),
        sms_template=SMS_CLAIM[step], sms_values=values, dedupe_key=decision_key(claim, status, entered),
    )


def claim_submit(
    *,
    member,
    channel: str,
    benefit_code: str,
    hospital: str,
    admitted_on: datetime.date,
    discharged_on: datetime.date,
    diagnosis: str,
    total_cost: Decimal,
    insurance_paid: Decimal,
    out_of_pocket: Decimal,
    payee_bank: str,
    payee_account: str,
    receipts: list[CleanDocument] | tuple = (),
    fixed_item_name: str = "",
    agency_point=None,
    actor=None,
    idempotency_key: uuid.UUID | None = None,
) -> Claim:
    """File a claim and tell the member its number (inbox + SMS after commit).

    Takes the member's enrolment row lock, so two claims of one stay sent at once cannot both
    pass the overlap check. The number HZ<year>-<6 digits> is gapless per year. The same form
    sent twice (same `idempotency_key`) returns the first claim. Receipts must already be
    checked by content (`document_clean`); at least one is required.
    """
    if idempotency_key is not None:
        existing = Claim.objects.filter(idempotency_key=idempotency_key, member=member).first()
        if existing is not None:
            return existing
    if not receipts:
        raise ReceiptsRequired()
    if len(receipts) > MAX_RECEIPTS:
        raise TooManyReceipts(MAX_RECEIPTS)
    now = timezone.now()
    try:
        with transaction.atomic():
            enrolment, scheme, benefit, item = claim_context(
                member=member, benefit_code=benefit_code, fixed_item_name=fixed_item_name, admitted_on=admitted_on,
                discharged_on=discharged_on, total_cost=total_cost, insurance_paid=insurance_paid,
                out_of_pocket=out_of_pocket,
            )
            Enrolment.objects.select_for_update().filter(member=member).order_by("pk").first()
            overlapping = (
                Claim.objects.filter(member=member, status__in=LIVE_STATUSES, benefit_code=benefit.code,
                                     admitted_on__lte=discharged_on, discharged_on__gte=admitted_on)
                .order_by("pk").first()
            )
            if overlapping is not None:
                raise StayClaimedTwice(overlapping.number)
            year = timezone.localdate(now).year
            claim = Claim(
                year=year, idempotency_key=idempotency_key, channel=channel, member=member, enrolment=enrolment,
                scheme=scheme, benefit=benefit, benefit_code=benefit.code, fixed_item=item,
                town_street_id=member.town_street_id,
                agency_point=agency_point, hospital=hospital.strip(), admitted_on=admitted_on,
                discharged_on=discharged_on, diagnosis=diagnosis.strip(), total_cost=total_cost,
                insurance_paid=insurance_paid, out_of_pocket=out_of_pocket, payee_bank=payee_bank.strip(),
                payee_account=payee_account.replace(" ", ""), submitted_at=now, created_by=actor,
            )
            claim.number = f"HZ{year}-{sequence_next(key=NUMBER_SEQUENCE, year=year):06d}"
            claim.save()
            ClaimStatusChange.objects.create(
                claim=claim, from_status="", to_status=Status.SUBMITTED, actor=actor, member=member, at=now,
                note=_("网上申请") if channel == Channel.ONLINE else _("代办点代为录入：%(point)s")
                % {"point": agency_point or "—"},
            )
            claim_receipts_add(claim=claim, documents=receipts, actor=actor)
            _member_tell(claim, RECEIVED)
    except IntegrityError:
        if idempotency_key is None:
            raise
        existing = Claim.objects.filter(idempotency_key=idempotency_key, member=member).first()
        if existing is None:
            raise
        return existing
    return claim


def claim_receipts_add(*, claim: Claim, documents, actor=None) -> list[ClaimReceipt]:
    """Attach receipts already checked by content to a claim (kept for good)."""
    if claim.receipts.count() + len(documents) > MAX_RECEIPTS:
        raise TooManyReceipts(MAX_RECEIPTS)
    return [
        ClaimReceipt.objects.create(
            claim=claim, file=d.content, kind=d.kind, content_type=d.content_type, original_name=d.original_name,
            uploaded_by=actor,
        )
        for d in documents
    ]


def rules_for(claim: Claim) -> Rules:
    """The pure-function inputs of a claim's benefit under its scheme version."""
    benefit = claim.benefit
    return Rules(
        kind=benefit.kind, benefit_name=benefit.name, type_cap=benefit.yearly_cap,
        overall_cap=claim.scheme.overall_cap, deductible=benefit.deductible,
        tiers=tuple(Tier(t.upper_bound, t.ratio) for t in benefit.tiers.all()),
        fixed_amount=claim.fixed_item.amount if claim.fixed_item_id else None,
    )


def cap_keys(*, member_id: int, year: int, code: str) -> tuple[str, str]:
    """The allowance keys of a member's yearly cap for one benefit and overall."""
    base = f"mutualaid.cap:member={member_id}:year={year}"
    return f"{base}:type={code}", f"{base}:type=all"


def claim_preview(claim: Claim) -> Calculation:
    """What the claim would pay if approved now (no lock: for the staff page and the member)."""
    from apps.core.limits import allowance_used

    type_key, all_key = cap_keys(member_id=claim.member_id, year=claim.enrolment.year, code=claim.benefit.code)
    return payable_compute(
        rules=rules_for(claim), out_of_pocket=claim.out_of_pocket, paid_this_type=allowance_used(type_key),
        paid_overall=allowance_used(all_key),
    )


def _approve(claim: Claim, actor) -> Calculation:
    """Lock the member's cap rows, recompute from what they hold, and commit the amount."""
    benefit, year = claim.benefit, claim.enrolment.year
    type_key, all_key = cap_keys(member_id=claim.member_id, year=year, code=benefit.code)
    rows = limits_lock([
        Limit(type_key, benefit.yearly_cap, label=_("%(name)s年度限额") % {"name": benefit.name},
              member=claim.member, year=year),
        Limit(all_key, claim.scheme.overall_cap, label=_("互助保障年度总限额"), member=claim.member, year=year),
    ])
    result = payable_compute(
        rules=rules_for(claim), out_of_pocket=claim.out_of_pocket, paid_this_type=rows[type_key].used,
        paid_overall=rows[all_key].used,
    )
    if result.amount > 0:
        limits_take(rows, amount=result.amount, ref=f"mutualaid.claim:{claim.pk}", actor=actor)
    return result


def claim_transition(*, claim: Claim, target: str, actor, note: str = "", paid_on: datetime.date | None = None,
                     reference: str = "", originals_checked: bool | None = None) -> Claim:
    """Move a claim to `target` if the workflow allows `actor` to, and tell the member.

    Takes the claim's row lock; an approval also locks the member's yearly cap rows and pays
    only what is left of them (two approvals at the same moment: the second waits and gets the
    rest). Raises IllegalTransition / MoveNotPermitted / DetailRequired / LimitExceeded.
    """
    with transaction.atomic():
        locked = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("member", "benefit", "scheme", "enrolment", "fixed_item")
            .get(pk=claim.pk)
        )
        current = locked.status
        CLAIM_FLOW.check(obj=locked, current=current, target=target, actor=actor,
                         details={"note": note, "paid_on": paid_on, "reference": reference})
        now = timezone.now()
        fields = ["status"]
        if target == Status.CHECKED:
            locked.checked_at = now
            locked.originals_checked = True if originals_checked is None else originals_checked
            fields += ["checked_at", "originals_checked"]
            values = {}
        elif target == Status.RETURNED:
            locked.return_note = note.strip()
            fields.append("return_note")
            values = {"note": note.strip()}
        elif target == Status.SUBMITTED:
            values = {}
        elif target == Status.APPROVED:
            result = _approve(locked, actor)
            locked.payable_amount = result.amount
            locked.calculation = result.as_json()
            locked.decided_at = now
            fields += ["payable_amount", "calculation", "decided_at"]
            values = {"amount": f"{result.amount:,.2f}"}
        elif target == Status.DECLINED:
            locked.decline_reason = note.strip()
            locked.decided_at = now
            fields += ["decline_reason", "decided_at"]
            values = {"note": note.strip()}
        else:  # PAID
            locked.paid_on = paid_on
            locked.payment_reference = reference.strip()
            fields += ["paid_on", "payment_reference"]
            values = {"amount": f"{locked.payable_amount or 0:,.2f}", "day": f"{paid_on:%Y-%m-%d}"}
        locked.status = target
        locked.save(update_fields=fields)
        ClaimStatusChange.objects.create(
            claim=locked, from_status=current, to_status=target, actor=actor, member=locked.member, at=now,
            note=note.strip(),
        )
        _member_tell(locked, target, values)
    return locked


# --- payout ------------------------------------------------------------------------------------

def payout_batch_create(*, claims, actor) -> PayoutBatch:
    """Put the approved, unpaid claims among `claims` not yet in a batch into a new batch for
    the bank (raises BatchEmpty when none qualifies)."""
    with transaction.atomic():
        pks = list(
            claims.filter(status=Status.APPROVED, batch__isnull=True, payable_amount__gt=0)
            .select_for_update().values_list("pk", flat=True)
        )
        if not pks:
            raise BatchEmpty()
        year = timezone.localdate().year
        batch = PayoutBatch.objects.create(
            number=f"BF{year}-{sequence_next(key=BATCH_SEQUENCE, year=year):04d}", created_by=actor,
        )
        Claim.objects.filter(pk__in=pks).update(batch=batch)
    return batch


def payout_batch_pay(*, batch: PayoutBatch, paid_on: datetime.date, reference: str, actor) -> int:
    """Record the bank's payment of a batch: every claim in it moves to paid (each through
    `claim_transition`, each member told). Returns how many claims were paid."""
    with transaction.atomic():
        locked = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.paid_on is not None:
            raise BatchAlreadyPaid()
        locked.paid_on, locked.reference = paid_on, reference.strip()
        locked.save(update_fields=["paid_on", "reference"])
        count = 0
        for claim in locked.claims.filter(status=Status.APPROVED).order_by("pk"):
            claim_transition(claim=claim, target=Status.PAID, actor=actor, paid_on=paid_on, reference=reference)
            count += 1
    return count
