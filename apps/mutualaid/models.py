"""Medical mutual aid (职工医疗互助保障): yearly schemes and their rules, enrolment of members by
their unions, claims filed online or at a town/street agency point, review and payout.

A scheme's rules are fixed once anyone is enrolled or has claimed under it: a correction is a
new version of the same year with the date from which it applies (`effective_from`); a claim
is judged by the version in force on its admission date.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import DateRangeField
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.constraints import PostgresExclusionConstraint
from apps.core.models import Evidence, StatusChange
from apps.orgs.models import AgencyPoint, GrassrootsUnion, TownStreet

MONEY = {"max_digits": 12, "decimal_places": 2}


class Scheme(models.Model):  # 互助保障计划
    """One year's scheme, in one or more versions (a correction applies from its date)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=100)
    effective_from = models.DateField(_("适用起始日"), help_text=_("本版本规则适用于此日及以后入院的申请"))
    contribution = models.DecimalField(_("每人缴费（元）"), **MONEY)
    cover_start = models.DateField(_("保障期起"))
    cover_end = models.DateField(_("保障期止"))
    waiting_days = models.PositiveSmallIntegerField(
        _("首次参保等待期（天）"), default=90, help_text=_("上年度已参保、连续续保的会员无等待期")
    )
    claim_deadline_days = models.PositiveSmallIntegerField(_("出院后申请期限（天）"), default=180)
    overall_cap = models.DecimalField(_("每人年度总限额（元）"), **MONEY)
    is_active = models.BooleanField(_("开放参保"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("互助保障计划")
        verbose_name_plural = _("互助保障计划")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="mutualaid_scheme_year_version_unique",
                                    violation_error_message=_("该年度的此版本计划已存在。")),
            models.CheckConstraint(condition=Q(cover_end__gte=F("cover_start")), name="mutualaid_scheme_cover_order",
                                   violation_error_message=_("保障期止不能早于保障期起。")),
            models.CheckConstraint(condition=Q(contribution__gte=0) & Q(overall_cap__gte=0),
                                   name="mutualaid_scheme_money_not_negative",
                                   violation_error_message=_("金额不能为负数。")),
            models.CheckConstraint(
                condition=Q(effective_from__gte=F("cover_start")) & Q(effective_from__lte=F("cover_end")),
                name="mutualaid_scheme_effective_in_cover",
                violation_error_message=_("适用起始日应在保障期内。"),
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.year}年第{self.version}版）"

    @property
    def is_locked(self) -> bool:
        """Rules are fixed once a member is enrolled under or has claimed by this version."""
        return self.enrolments.exists() or self.claims.exists()


class BenefitKind(models.TextChoices):
    REIMBURSEMENT = "reimburse", _("按比例报销")
    FIXED = "fixed", _("定额给付")


class BenefitType(models.Model):  # 保障项目
    """A benefit of a scheme: reimbursement by tiers after a deductible (住院医疗互助), or fixed
    amounts from a list (重大疾病, 女职工特殊疾病, 意外伤害 by grade). `code` ties the same benefit
    across versions and years (the yearly caps are counted per code)."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="benefits")
    code = models.SlugField(_("代码"), max_length=30)
    name = models.CharField(_("名称"), max_length=50)
    kind = models.CharField(_("给付方式"), max_length=10, choices=BenefitKind.choices)
    deductible = models.DecimalField(_("起付线（元）"), default=0, **MONEY)
    yearly_cap = models.DecimalField(_("每人年度限额（元）"), **MONEY)
    women_only = models.BooleanField(_("仅限女职工"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("保障项目")
        verbose_name_plural = _("保障项目")
        ordering = ["scheme", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="mutualaid_benefit_code_unique",
                                    violation_error_message=_("本计划中已有此代码的保障项目。")),
            models.CheckConstraint(condition=Q(deductible__gte=0) & Q(yearly_cap__gte=0),
                                   name="mutualaid_benefit_money_not_negative",
                                   violation_error_message=_("金额不能为负数。")),
        ]

    def __str__(self):
        return self.name


class BenefitTier(models.Model):  # 报销分段
    """Up to `upper_bound` of the eligible amount (empty: everything above) at `ratio`."""

    benefit = models.ForeignKey(BenefitType, verbose_name=_("保障项目"), on_delete=models.CASCADE, related_name="tiers")
    upper_bound = models.DecimalField(_("分段上限（元）"), null=True, blank=True, help_text=_("留空表示以上全部"),
                                      **MONEY)
    ratio = models.DecimalField(_("报销比例"), max_digits=4, decimal_places=3, help_text=_("如 0.5 表示 50%"))

    class Meta:
        verbose_name = _("报销分段")
        verbose_name_plural = _("报销分段")
        ordering = [F("upper_bound").asc(nulls_last=True)]
        constraints = [
            models.CheckConstraint(condition=Q(ratio__gte=0) & Q(ratio__lte=1), name="mutualaid_tier_ratio_range",
                                   violation_error_message=_("报销比例应在 0 至 1 之间。")),
            models.CheckConstraint(condition=Q(upper_bound__isnull=True) | Q(upper_bound__gt=0),
                                   name="mutualaid_tier_bound_positive",
                                   violation_error_message=_("分段上限应大于 0。")),
            models.UniqueConstraint(fields=["benefit", "upper_bound"], name="mutualaid_tier_bound_unique",
                                    nulls_distinct=False, violation_error_message=_("分段上限重复。")),
        ]

    def __str__(self):
        return f"≤{self.upper_bound or '∞'} × {self.ratio}"


class FixedBenefit(models.Model):  # 定额给付项目
    """One entry of a fixed benefit's list: an illness or a disability grade and its amount."""

    benefit = models.ForeignKey(BenefitType, verbose_name=_("保障项目"), on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("病种或等级"), max_length=60)
    amount = models.DecimalField(_("给付金额（元）"), **MONEY)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("定额给付标准")
        verbose_name_plural = _("定额给付标准")
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="mutualaid_fixed_amount_positive",
                                   violation_error_message=_("给付金额应大于 0。")),
            models.UniqueConstraint(fields=["benefit", "name"], name="mutualaid_fixed_name_unique",
                                    violation_error_message=_("该病种或等级已存在。")),
        ]

    def __str__(self):
        return f"{self.name}（{self.amount}元）"


class Enrolment(models.Model):  # 参保登记
    """A member enrolled in a year's scheme by their union. One per member and year.

    `covered_from` is the first admission date a claim is accepted for: the cover start for a
    member renewed without a break, else the enrolment date plus the waiting period.
    """

    scheme = models.ForeignKey(Scheme, verbose_name=_("计划"), on_delete=models.PROTECT, related_name="enrolments")
    year = models.PositiveSmallIntegerField(_("年度"))
    member = models.ForeignKey("members.Member", verbose_name=_("会员"), on_delete=models.PROTECT,
                               related_name="mutualaid_enrolments")
    union = models.ForeignKey(GrassrootsUnion, verbose_name=_("参保工会"), on_delete=models.PROTECT,
                              related_name="mutualaid_enrolments")
    town_street = models.ForeignKey(TownStreet, verbose_name=_("所在镇街"), on_delete=models.PROTECT,
                                    related_name="mutualaid_enrolments")
    contribution = models.DecimalField(_("缴费（元）"), **MONEY)
    enrolled_on = models.DateField(_("参保日期"))
    is_renewal = models.BooleanField(_("连续续保"), default=False)
    covered_from = models.DateField(_("等待期满（起保）日"))
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("参保登记")
        verbose_name_plural = _("参保登记")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="mutualaid_enrolment_member_year_unique",
                                    violation_error_message=_("该会员本年度已参保。")),
            models.CheckConstraint(condition=Q(contribution__gte=0), name="mutualaid_enrolment_contribution",
                                   violation_error_message=_("缴费不能为负数。")),
        ]
        indexes = [
            models.Index(fields=["year", "union"], name="mutualaid_enrol_union_idx"),
            models.Index(fields=["year", "town_street"], name="mutualaid_enrol_town_idx"),
        ]

    def __str__(self):
        return f"{self.member} · {self.year}"

    @property
    def waiting_ends_on(self) -> datetime.date | None:
        """The last day of the waiting period (None for an unbroken renewal)."""
        if self.covered_from <= self.scheme.cover_start:
            return None
        return self.covered_from - datetime.timedelta(days=1)


class ContributionPayment(models.Model):  # 缴费记录
    """Money a union paid in for its members' contributions of a year."""

    union = models.ForeignKey(GrassrootsUnion, verbose_name=_("工会"), on_delete=models.PROTECT,
                              related_name="mutualaid_payments")
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    paid_on = models.DateField(_("缴费日期"))
    reference = models.CharField(_("凭证号"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工会缴费")
        verbose_name_plural = _("工会缴费")
        ordering = ["-year", "-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="mutualaid_payment_positive",
                                   violation_error_message=_("缴费金额应大于 0。")),
        ]

    def __str__(self):
        return f"{self.union} · {self.year} · {self.amount}"


class Channel(models.TextChoices):
    ONLINE = "online", _("网上申请")
    AGENCY = "agency", _("代办点代办")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回补充材料")
    CHECKED = "checked", _("代办点已审核")
    APPROVED = "approved", _("已核准")
    DECLINED = "declined", _("不予给付")
    PAID = "paid", _("已拨付")


# Claims that count against a stay being claimed twice (a declined one may be filed again).
LIVE_STATUSES = (Status.SUBMITTED, Status.RETURNED, Status.CHECKED, Status.APPROVED, Status.PAID)


class DateRange(Func):  # a stay as the closed range [admitted_on, discharged_on], for the constraint
    function = "DATERANGE"
    output_field = DateRangeField()


class StayExclusionConstraint(PostgresExclusionConstraint):
    """One stay is claimed once (PostgreSQL only, btree_gist); `services.claim_submit`'s check
    under the member's lock, which gives the friendly message with the earlier claim's number,
    is the guard on SQLite."""

    fields_read = frozenset({"member", "benefit_code", "admitted_on", "discharged_on", "status"})


def receipt_path(instance, filename):
    return f"private/mutualaid/{timezone.localdate():%Y/%m}/{filename}"


class PayoutBatch(models.Model):  # 拨付批次
    """Approved claims sent to the bank together; paid on a date with the bank's reference."""

    number = models.CharField(_("批次号"), max_length=20, unique=True)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("生成人"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    paid_on = models.DateField(_("拨付日期"), null=True, blank=True)
    reference = models.CharField(_("银行凭证号"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("拨付批次")
        verbose_name_plural = _("拨付批次")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.number


class Claim(models.Model):  # 互助金申请
    """A member's claim for a hospital stay or a listed illness, numbered HZ2026-000123.

    `status` changes only through `services.claim_transition`. `payable_amount` and
    `calculation` (the working, line by line) are written when the claim is approved, under
    the member's yearly cap locks.
    """

    number = models.CharField(_("申请编号"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("编号年度"))
    idempotency_key = models.UUIDField(_("提交令牌"), null=True, blank=True, unique=True, editable=False)
    channel = models.CharField(_("来源"), max_length=10, choices=Channel.choices)
    member = models.ForeignKey("members.Member", verbose_name=_("会员"), on_delete=models.PROTECT,
                               related_name="mutualaid_claims")
    enrolment = models.ForeignKey(Enrolment, verbose_name=_("参保登记"), on_delete=models.PROTECT, related_name="claims")
    scheme = models.ForeignKey(Scheme, verbose_name=_("适用计划"), on_delete=models.PROTECT, related_name="claims")
    benefit = models.ForeignKey(BenefitType, verbose_name=_("保障项目"), on_delete=models.PROTECT, related_name="claims")
    # The benefit's code, the same across a year's scheme versions: what the double-stay
    # constraint compares (a stay may be claimed once per benefit type).
    benefit_code = models.CharField(_("保障项目代码"), max_length=30, default="", editable=False)
    fixed_item = models.ForeignKey(FixedBenefit, verbose_name=_("病种或等级"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="claims")
    town_street = models.ForeignKey(TownStreet, verbose_name=_("所在镇街"), on_delete=models.PROTECT,
                                    related_name="mutualaid_claims")
    agency_point = models.ForeignKey(AgencyPoint, verbose_name=_("代办点"), on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="mutualaid_claims")
    hospital = models.CharField(_("医院"), max_length=100)
    admitted_on = models.DateField(_("入院日期"))
    discharged_on = models.DateField(_("出院日期"))
    diagnosis = models.CharField(_("诊断"), max_length=200)
    total_cost = models.DecimalField(_("医疗总费用（元）"), **MONEY)
    insurance_paid = models.DecimalField(_("基本医保支付（元）"), **MONEY)
    out_of_pocket = models.DecimalField(_("个人自付（元）"), **MONEY)
    payee_bank = models.CharField(_("开户银行"), max_length=60)
    payee_account = models.CharField(_("银行账号"), max_length=30)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED,
                              editable=False)
    payable_amount = models.DecimalField(_("核准金额（元）"), null=True, blank=True, editable=False, **MONEY)
    calculation = models.JSONField(_("计算过程"), default=list, blank=True, editable=False)
    decline_reason = models.TextField(_("不予给付原因"), blank=True, editable=False)
    return_note = models.TextField(_("需补充的材料"), blank=True, editable=False)
    originals_checked = models.BooleanField(_("已核验原件"), default=False, editable=False)
    batch = models.ForeignKey(PayoutBatch, verbose_name=_("拨付批次"), on_delete=models.PROTECT, null=True, blank=True,
                              related_name="claims", editable=False)
    paid_on = models.DateField(_("拨付日期"), null=True, blank=True, editable=False)
    payment_reference = models.CharField(_("拨付凭证号"), max_length=60, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, editable=False)
    checked_at = models.DateTimeField(_("审核时间"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("核准时间"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+", editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("互助金申请")
        verbose_name_plural = _("互助金申请")
        ordering = ["-submitted_at", "-id"]
        permissions = [
            ("check_claim", _("代办点审核互助金申请")),
            ("approve_claim", _("核准互助金申请")),
            ("pay_claim", _("登记互助金拨付")),
            ("view_mutualaid_numbers", _("查看互助保障统计")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(discharged_on__gte=F("admitted_on")), name="mutualaid_claim_dates_order",
                                   violation_error_message=_("出院日期不能早于入院日期。")),
            models.CheckConstraint(
                condition=Q(total_cost__gte=0) & Q(insurance_paid__gte=0) & Q(out_of_pocket__gte=0),
                name="mutualaid_claim_money_not_negative", violation_error_message=_("金额不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(total_cost=F("insurance_paid") + F("out_of_pocket")),
                name="mutualaid_claim_parts_add_up",
                violation_error_message=_("基本医保支付与个人自付之和应等于医疗总费用。"),
            ),
            models.CheckConstraint(condition=Q(payable_amount__isnull=True) | Q(payable_amount__gte=0),
                                   name="mutualaid_claim_payable_not_negative"),
            # One hospital stay, one live claim per benefit type: two claims of a member whose
            # stays share a day are refused by the database even when the service is bypassed
            # (a declined claim may be filed again).
            StayExclusionConstraint(
                name="mutualaid_claim_stay_once",
                expressions=[
                    ("member", "="),
                    ("benefit_code", "="),
                    (DateRange("admitted_on", "discharged_on", Value("[]")), "&&"),
                ],
                condition=Q(status__in=LIVE_STATUSES),
                violation_error_message=_("这次住院（日期有重叠）已申请过，不能重复申请。"),
            ),
        ]
        indexes = [
            models.Index(fields=["member", "admitted_on"], name="mutualaid_claim_member_idx"),
            # the admin lists newest first, filtered by status or by an agency point's town
            models.Index(fields=["status", "-id"], name="mutualaid_claim_status_idx"),
            models.Index(fields=["town_street", "-id"], name="mutualaid_claim_town_idx"),
            models.Index(fields=["year", "benefit"], name="mutualaid_claim_benefit_idx"),
        ]

    def __str__(self):
        return self.number


class ClaimReceipt(Evidence):  # 医疗票据
    claim = models.ForeignKey(Claim, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="receipts")
    file = models.FileField(_("文件"), upload_to=receipt_path)

    class Meta(Evidence.Meta):
        verbose_name = _("医疗票据")
        verbose_name_plural = _("医疗票据")


class ClaimStatusChange(StatusChange):  # 申请流转记录
    claim = models.ForeignKey(Claim, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(_("原状态"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("申请流转记录")
        verbose_name_plural = _("申请流转记录")
        indexes = [models.Index(fields=["claim", "at"], name="mutualaid_change_claim_idx")]


# Tallies kept by PostgreSQL (the statement triggers of migration 0004, `apps.core.tally`) in
# the same transaction as every write to enrolments and claims, so the dashboard sums a few
# hundred rows instead of a year's. Django never writes them; `town` is the town/street's id.
class EnrolmentTally(models.Model):
    """Enrolments per year and town/street, with their contributions due."""

    year = models.PositiveSmallIntegerField()
    town = models.IntegerField()
    n = models.BigIntegerField()
    contribution = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("参保人数统计")
        verbose_name_plural = _("参保人数统计")
        constraints = [models.UniqueConstraint(fields=["year", "town"], name="mutualaid_enrolment_tally_key")]


class ClaimTally(models.Model):
    """Claims per scheme, town/street, month submitted (in tallies.TALLY_ZONE) and status,
    with the amounts payable."""

    scheme = models.ForeignKey(Scheme, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    town = models.IntegerField()
    month = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices)
    n = models.BigIntegerField()
    payable = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("互助金申请统计")
        verbose_name_plural = _("互助金申请统计")
        constraints = [models.UniqueConstraint(fields=["scheme", "town", "month", "status"],
                                               name="mutualaid_claim_tally_key")]
