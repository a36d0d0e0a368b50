"""Hardship aid (送温暖, 困难职工帮扶): hardship files, campaigns with budgets and aid types,
members' applications with their workflow, and health/recuperation enrolments with quotas.

The scarce things (a campaign's budget, a member's yearly limit, an enrolment quota) are held
in `apps.core.limits` (the Allowance ledger with its CHECK constraint); the rules on one row
are constraints here.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.masking import mask_name
from apps.core.models import Evidence, StatusChange

ZERO = Decimal("0")


class HardshipLevel(models.TextChoices):
    DEEP = "deep", _("深度困难")
    RELATIVE = "relative", _("相对困难")
    SUDDEN = "sudden", _("意外致困")


class Cause(models.TextChoices):
    ILLNESS = "illness", _("因病")
    DISABILITY = "disability", _("因残")
    SCHOOLING = "schooling", _("子女就学")
    JOB_LOSS = "job_loss", _("失业下岗")
    DISASTER = "disaster", _("因灾")
    ACCIDENT = "accident", _("意外事故")
    LOW_WAGE = "low_wage", _("收入低")
    OTHER = "other", _("其他")


class FileStatus(models.TextChoices):
    PROPOSED = "proposed", _("待审核")
    OPEN = "open", _("在档")
    CLOSED = "closed", _("已退档")


# A file counts against "one open file per member" from proposal to closure.
LIVE_FILE_STATUSES = (FileStatus.PROPOSED, FileStatus.OPEN)


def hardship_document_path(instance, filename):
    return f"private/aid/files/{timezone.localdate():%Y/%m}/{filename}"


def application_document_path(instance, filename):
    return f"private/aid/applications/{timezone.localdate():%Y/%m}/{filename}"


class HardshipFile(models.Model):  # 困难职工档案
    """One household in hardship, filed under the member who heads it."""

    member = models.ForeignKey(
        "members.Member", verbose_name=_("建档职工"), on_delete=models.PROTECT, related_name="hardship_files"
    )
    level = models.CharField(_("困难类别"), max_length=10, choices=HardshipLevel.choices)
    status = models.CharField(_("档案状态"), max_length=10, choices=FileStatus.choices, default=FileStatus.PROPOSED)
    address = models.CharField(_("家庭住址"), max_length=200)
    primary_cause = models.CharField(_("主要致困原因"), max_length=20, choices=Cause.choices)
    secondary_causes = models.JSONField(_("次要致困原因"), default=list, blank=True)
    situation = models.TextField(_("家庭情况说明"), blank=True)
    proposed_by_union = models.ForeignKey(
        "orgs.GrassrootsUnion", verbose_name=_("推荐工会"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("推荐人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    proposed_on = models.DateField(_("推荐日期"), default=timezone.localdate)
    decided_on = models.DateField(_("帮扶中心认定日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("认定人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    decision_note = models.CharField(_("认定意见"), max_length=300, blank=True)
    recheck_due = models.DateField(_("下次复核日期"), null=True, blank=True)
    closed_on = models.DateField(_("退档日期"), null=True, blank=True)
    closed_reason = models.CharField(_("退档原因"), max_length=300, blank=True)
    household_conflict = models.ForeignKey(
        "self", verbose_name=_("疑似同户档案"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text=_("同一住址且有家庭成员已在另一在档档案中：请核实是否一户多档"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("困难职工档案")
        verbose_name_plural = _("困难职工档案")
        ordering = ["recheck_due", "-id"]
        permissions = [("decide_hardshipfile", _("认定和复核困难职工档案"))]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status__in=["proposed", "open"]),
                name="aid_one_live_file_per_member", violation_error_message=_("该职工已有在档的困难职工档案。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(closed_reason=""), name="aid_closed_file_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "recheck_due"], name="aid_file_status_recheck_idx"),
            models.Index(fields=["address"], name="aid_file_address_idx"),
        ]

    def __str__(self):
        return f"{self.member.name} · {self.get_level_display()}"

    def save(self, *args, **kwargs):
        # One spelling of an address whatever the entry point (counter, admin, import): the
        # one-household check (services.household_conflict_find) compares addresses as stored.
        self.address = " ".join((self.address or "").split())
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status == FileStatus.OPEN

    def secondary_labels(self) -> str:
        labels = dict(Cause.choices)
        return "、".join(str(labels.get(c, c)) for c in self.secondary_causes or [])


class FileStatusChange(StatusChange):  # 档案流转记录
    """Who proposed, opened, refused, re-checked or closed a hardship file, and when."""

    file = models.ForeignKey(HardshipFile, verbose_name=_("档案"), on_delete=models.PROTECT, related_name="changes")
    from_status = models.CharField(_("原状态"), max_length=20, choices=FileStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=FileStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("档案流转记录")
        verbose_name_plural = _("档案流转记录")


class HouseholdMember(models.Model):  # 家庭成员
    file = models.ForeignKey(HardshipFile, verbose_name=_("档案"), on_delete=models.CASCADE, related_name="household")
    name = models.CharField(_("姓名"), max_length=50)
    relation = models.CharField(_("与职工关系"), max_length=20)
    age = models.PositiveSmallIntegerField(_("年龄"))
    health = models.CharField(_("健康状况"), max_length=50, blank=True)
    work = models.CharField(_("就业/就学情况"), max_length=50, blank=True)
    monthly_income = models.DecimalField(_("月收入（元）"), max_digits=10, decimal_places=2, default=ZERO)
    document_number = models.CharField(_("证件号码"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_income__gte=0), name="aid_household_income_not_negative"),
            models.CheckConstraint(condition=Q(age__lte=130), name="aid_household_age_plausible"),
        ]
        indexes = [models.Index(fields=["name"], name="aid_household_name_idx")]

    def __str__(self):
        return f"{self.name}（{self.relation}）"


class HardshipDocument(Evidence):  # 档案材料
    file_record = models.ForeignKey(
        HardshipFile, verbose_name=_("档案"), on_delete=models.PROTECT, related_name="documents"
    )
    file = models.FileField(_("文件"), upload_to=hardship_document_path)

    class Meta(Evidence.Meta):
        verbose_name = _("档案材料")
        verbose_name_plural = _("档案材料")


class RecheckOutcome(models.TextChoices):
    UNCHANGED = "unchanged", _("维持不变")
    LEVEL_CHANGED = "level_changed", _("调整困难类别")
    CLOSED = "closed", _("脱困退档")


class HardshipRecheck(models.Model):  # 年度复核
    file = models.ForeignKey(HardshipFile, verbose_name=_("档案"), on_delete=models.PROTECT, related_name="rechecks")
    checked_on = models.DateField(_("复核日期"), default=timezone.localdate)
    outcome = models.CharField(_("复核结果"), max_length=20, choices=RecheckOutcome.choices)
    old_level = models.CharField(_("原类别"), max_length=10, choices=HardshipLevel.choices)
    new_level = models.CharField(_("新类别"), max_length=10, choices=HardshipLevel.choices, blank=True)
    reason = models.CharField(_("说明"), max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("复核人"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("复核记录")
        verbose_name_plural = _("复核记录")
        ordering = ["-checked_on", "-id"]

    def __str__(self):
        return f"{self.file_id} · {self.get_outcome_display()}"


class AidPolicy(models.Model):  # 年度帮扶政策
    """What staff set per year: the yearly limit per member across all aid, the amount above
    which a second approver is needed, how long an approval stays on public notice."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    yearly_limit = models.DecimalField(_("每人年度救助上限（元）"), max_digits=12, decimal_places=2, default=Decimal("20000"))
    second_approval_over = models.DecimalField(
        _("需第二人复核的金额（元，超过）"), max_digits=12, decimal_places=2, default=Decimal("5000")
    )
    notice_workdays = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度帮扶政策")
        verbose_name_plural = _("年度帮扶政策")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(yearly_limit__gt=0), name="aid_policy_limit_positive"),
            models.CheckConstraint(condition=Q(second_approval_over__gte=0), name="aid_policy_threshold_not_negative"),
            models.CheckConstraint(condition=Q(notice_workdays__gte=1), name="aid_policy_notice_days_positive"),
        ]

    def __str__(self):
        return f"{self.year}"


class CampaignKind(models.TextChoices):
    SPRING = "spring", _("春送岗位")
    SUMMER = "summer", _("夏送清凉")
    AUTUMN = "autumn", _("金秋助学")
    WINTER = "winter", _("冬送温暖")
    ILLNESS = "illness", _("大病重病救助")


class Campaign(models.Model):  # 帮扶活动
    kind = models.CharField(_("活动"), max_length=10, choices=CampaignKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("截止日期"))
    budget = models.DecimalField(_("预算（元）"), max_digits=14, decimal_places=2)
    is_published = models.BooleanField(_("对会员开放"), default=True)
    copied_from = models.ForeignKey(
        "self", verbose_name=_("复制自"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("帮扶活动")
        verbose_name_plural = _("帮扶活动")
        ordering = ["-year", "starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="aid_one_campaign_per_kind_year",
                                    violation_error_message=_("该年度已有这一活动。")),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="aid_campaign_dates_in_order",
                                   violation_error_message=_("截止日期不能早于开始日期。")),
            models.CheckConstraint(condition=Q(budget__gte=0), name="aid_campaign_budget_not_negative",
                                   violation_error_message=_("预算不能为负数。")),
        ]

    def __str__(self):
        return self.title

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_published and self.starts_on <= today <= self.ends_on

    @property
    def budget_key(self) -> str:
        return f"aid.budget:campaign={self.pk}"


class Eligibility(models.TextChoices):
    ANY = "any", _("全体会员")
    FILE_HOLDERS = "file_holders", _("困难档案职工")
    WOMEN = "women", _("女职工")
    FRONTLINE = "frontline", _("工会推荐的一线职工")


class Facts(models.TextChoices):
    """Which facts the member's form asks for."""

    GENERAL = "general", _("一般")
    STUDENT = "student", _("子女助学")
    ILLNESS = "illness", _("大病救助")


class SchoolLevel(models.TextChoices):
    HIGH = "high", _("高中/中职")
    BACHELOR = "bachelor", _("本科")
    GRADUATE = "graduate", _("研究生")


class AidType(models.Model):  # 救助项目
    campaign = models.ForeignKey(Campaign, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="aid_types")
    name = models.CharField(_("项目名称"), max_length=100)
    facts = models.CharField(_("申请信息"), max_length=10, choices=Facts.choices, default=Facts.GENERAL)
    eligibility = models.CharField(_("申请对象"), max_length=20, choices=Eligibility.choices, default=Eligibility.ANY)
    standard_amount = models.DecimalField(
        _("标准金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True,
        help_text=_("不按标准表时的统一金额；大病救助为最高金额"),
    )
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("救助项目")
        verbose_name_plural = _("救助项目")
        ordering = ["campaign", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="aid_type_name_unique_in_campaign"),
            models.CheckConstraint(condition=Q(standard_amount__isnull=True) | Q(standard_amount__gt=0),
                                   name="aid_type_standard_positive"),
        ]

    def __str__(self):
        return f"{self.campaign.title} · {self.name}"


class HolderRule(models.TextChoices):
    ANY = "any", _("不限")
    HOLDER = "holder", _("困难档案家庭")
    NOT_HOLDER = "not_holder", _("非档案家庭")


class AmountRow(models.Model):  # 救助标准
    """One line of an amount table: by school level, by whether the family has a hardship file,
    by hardship level. Blank means "any"; the most specific matching line wins."""

    aid_type = models.ForeignKey(AidType, verbose_name=_("救助项目"), on_delete=models.CASCADE, related_name="amounts")
    school_level = models.CharField(_("学段"), max_length=10, choices=SchoolLevel.choices, blank=True)
    holder = models.CharField(_("档案家庭"), max_length=10, choices=HolderRule.choices, default=HolderRule.ANY)
    hardship_level = models.CharField(_("困难类别"), max_length=10, choices=HardshipLevel.choices, blank=True)
    amount = models.DecimalField(_("标准金额（元）"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("救助标准")
        verbose_name_plural = _("救助标准")
        ordering = ["aid_type", "id"]
        constraints = [
            models.UniqueConstraint(fields=["aid_type", "school_level", "holder", "hardship_level"],
                                    name="aid_amount_row_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="aid_amount_row_positive"),
        ]

    def __str__(self):
        return f"{self.amount}"


class Nomination(models.Model):  # 一线职工推荐
    """A union names one of its frontline workers for a year (summer cooling, recuperation)."""

    member = models.ForeignKey("members.Member", verbose_name=_("职工"), on_delete=models.PROTECT, related_name="aid_nominations")
    year = models.PositiveSmallIntegerField(_("年度"))
    union = models.ForeignKey("orgs.GrassrootsUnion", verbose_name=_("推荐工会"), on_delete=models.PROTECT, related_name="+")
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("推荐人"), on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    reason = models.CharField(_("推荐理由"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("推荐时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("一线职工推荐")
        verbose_name_plural = _("一线职工推荐")
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="aid_one_nomination_per_year")]

    def __str__(self):
        return f"{self.member} · {self.year}"


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待工会审核")
    RETURNED = "returned", _("退回补充材料")
    CHECKED = "checked", _("待帮扶中心审批")
    REVIEWED = "reviewed", _("待复核")
    APPROVED = "approved", _("已批准")
    DECLINED = "declined", _("未获批准")
    NOTICED = "noticed", _("公示中")
    PAID = "paid", _("已发放")
    # A duplicate closed by a member merge (two records of one person had both applied).
    CANCELLED = "cancelled", _("已撤销（重复申请）")


# Statuses in which the member may still edit (and the application holds no money).
EDITABLE = (Status.DRAFT, Status.RETURNED)
# Statuses in which an approved amount is held against the budget and the yearly limit.
HOLDING = (Status.REVIEWED, Status.APPROVED, Status.NOTICED, Status.PAID)


class PaymentMethod(models.TextChoices):
    BANK = "bank", _("银行转账")
    CASH = "cash", _("现金")


class Application(models.Model):  # 救助申请
    number = models.CharField(_("申请编号"), max_length=20, unique=True, null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    campaign = models.ForeignKey(Campaign, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="applications")
    aid_type = models.ForeignKey(AidType, verbose_name=_("救助项目"), on_delete=models.PROTECT, related_name="applications")
    member = models.ForeignKey("members.Member", verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="aid_applications")
    # Copied from the member when submitted: the numbers by union and town stay as they were.
    union = models.ForeignKey("orgs.GrassrootsUnion", verbose_name=_("所属工会"), on_delete=models.PROTECT,
                              null=True, blank=True, related_name="+")
    town_street = models.ForeignKey("orgs.TownStreet", verbose_name=_("镇街"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    hardship_file = models.ForeignKey(HardshipFile, verbose_name=_("困难档案"), on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="applications")
    hardship_level = models.CharField(_("困难类别"), max_length=10, choices=HardshipLevel.choices, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reason = models.TextField(_("申请理由"), blank=True)
    # 金秋助学
    child_name = models.CharField(_("子女姓名"), max_length=50, blank=True)
    school = models.CharField(_("就读学校"), max_length=100, blank=True)
    school_level = models.CharField(_("学段"), max_length=10, choices=SchoolLevel.choices, blank=True)
    enrolled_on = models.DateField(_("入学日期"), null=True, blank=True)
    # 大病重病救助
    diagnosis = models.CharField(_("诊断"), max_length=200, blank=True)
    hospital = models.CharField(_("就诊医院"), max_length=100, blank=True)
    treated_from = models.DateField(_("治疗开始"), null=True, blank=True)
    treated_to = models.DateField(_("治疗结束"), null=True, blank=True)
    total_cost = models.DecimalField(_("医疗总费用（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    insurance_paid = models.DecimalField(_("医保报销（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    mutual_aid_paid = models.DecimalField(_("互助保障已付（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    out_of_pocket = models.DecimalField(_("个人自付（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    # Decisions
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    decline_reason = models.CharField(_("未批准原因"), max_length=300, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("工会审核人"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    amount = models.DecimalField(_("批准金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    first_approver = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="+")
    second_approver = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("复核人"), on_delete=models.PROTECT,
                                        null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    notice = models.ForeignKey("notices.PublicNotice", verbose_name=_("公示"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="+")
    paid_method = models.CharField(_("发放方式"), max_length=10, choices=PaymentMethod.choices, blank=True)
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    paid_reference = models.CharField(_("凭证号"), max_length=60, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发放人"), on_delete=models.PROTECT,
                                null=True, blank=True, related_name="+")
    bank_account = models.CharField(_("收款银行账号"), max_length=40, blank=True)
    bank_name = models.CharField(_("开户银行"), max_length=60, blank=True)
    history = HistoricalRecords(excluded_fields=["bank_account"])

    class Meta:
        verbose_name = _("救助申请")
        verbose_name_plural = _("救助申请")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("check_application", _("工会审核救助申请")),
            ("approve_application", _("审批救助申请")),
            ("pay_application", _("登记救助发放")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["member", "aid_type"], condition=~Q(status="cancelled"),
                                    name="aid_one_application_per_type",
                                    violation_error_message=_("您今年已申请过这一救助项目。")),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gt=0), name="aid_amount_positive"),
            models.CheckConstraint(
                condition=Q(out_of_pocket__isnull=True) | Q(total_cost__isnull=True) | Q(out_of_pocket__lte=F("total_cost")),
                name="aid_out_of_pocket_within_cost",
            ),
            models.CheckConstraint(
                condition=Q(treated_from__isnull=True) | Q(treated_to__isnull=True) | Q(treated_to__gte=F("treated_from")),
                name="aid_treatment_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(second_approver__isnull=True) | ~Q(second_approver=F("first_approver")),
                name="aid_second_approver_differs",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["reviewed", "approved", "noticed", "paid"]) | Q(amount__isnull=False),
                name="aid_held_has_amount",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status"], name="aid_app_campaign_status_idx"),
            models.Index(fields=["year", "status"], name="aid_app_year_status_idx"),
            models.Index(fields=["member", "-created_at"], name="aid_app_member_idx"),
            models.Index(fields=["union", "status"], name="aid_app_union_status_idx"),
        ]

    def __str__(self):
        return self.number or _("草稿 %(pk)s") % {"pk": self.pk}

    @property
    def ref(self) -> str:
        return f"aid.application:{self.pk}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def masked_name(self) -> str:
        return mask_name(self.member.name)

    @property
    def masked_bank_account(self) -> str:
        number = self.bank_account
        return f"**** {number[-4:]}" if number else ""


class ApplicationDocument(Evidence):  # 申请材料
    class Purpose(models.TextChoices):
        ADMISSION = "admission", _("录取通知书/学籍证明")
        RECEIPT = "receipt", _("医疗费用票据")
        DIAGNOSIS = "diagnosis", _("诊断证明/病历")
        OTHER = "other", _("其他证明")

    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="documents")
    purpose = models.CharField(_("材料类别"), max_length=20, choices=Purpose.choices, default=Purpose.OTHER)
    file = models.FileField(_("文件"), upload_to=application_document_path)

    class Meta(Evidence.Meta):
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")


class ApplicationStatusChange(StatusChange):  # 申请流转记录
    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="changes")
    from_status = models.CharField(_("原状态"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("救助申请流转记录")
        verbose_name_plural = _("救助申请流转记录")


class ApplicationTally(models.Model):
    """Applications per campaign, town/street (`town`: its id, 0 for none) and status, with
    their approved amounts. PostgreSQL keeps it in the same transaction as every write to the
    application table (the statement triggers of migration 0003, `apps.core.tally`), so the
    dashboard sums these rows instead of a year's applications. Django never writes it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.DO_NOTHING, db_constraint=False, related_name="tallies")
    town = models.IntegerField()
    status = models.CharField(max_length=10, choices=Status.choices)
    n = models.BigIntegerField()
    amount = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("救助申请统计")
        verbose_name_plural = _("救助申请统计")
        constraints = [models.UniqueConstraint(fields=["campaign", "town", "status"], name="aid_tally_key")]


class ProgrammeKind(models.TextChoices):
    CHECKUP = "checkup", _("免费健康体检")
    SCREENING = "screening", _("两癌筛查")
    RECUPERATION = "recuperation", _("疗休养")


class QuotaScope(models.TextChoices):
    UNION = "union", _("按基层工会")
    TOWN = "town", _("按镇街")


class HealthProgramme(models.Model):  # 健康体检/两癌筛查/疗休养
    kind = models.CharField(_("类别"), max_length=20, choices=ProgrammeKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    starts_on = models.DateField(_("报名开始"))
    ends_on = models.DateField(_("报名截止"))
    min_age = models.PositiveSmallIntegerField(_("最低年龄"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("最高年龄"), null=True, blank=True)
    quota_scope = models.CharField(_("名额分配"), max_length=10, choices=QuotaScope.choices, default=QuotaScope.TOWN)
    default_quota = models.PositiveIntegerField(_("未单独设定时每单位名额"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("健康服务项目")
        verbose_name_plural = _("健康服务项目")
        ordering = ["-year", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="aid_programme_dates_in_order"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(max_age__gte=F("min_age")),
                name="aid_programme_ages_in_order",
            ),
        ]

    def __str__(self):
        return self.title

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on


class ProgrammeQuota(models.Model):  # 名额
    programme = models.ForeignKey(HealthProgramme, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="quotas")
    union = models.ForeignKey("orgs.GrassrootsUnion", verbose_name=_("基层工会"), on_delete=models.PROTECT,
                              null=True, blank=True, related_name="+")
    town_street = models.ForeignKey("orgs.TownStreet", verbose_name=_("镇街"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    places = models.PositiveIntegerField(_("名额"))

    class Meta:
        verbose_name = _("名额")
        verbose_name_plural = _("名额")
        constraints = [
            models.UniqueConstraint(fields=["programme", "union"], condition=Q(union__isnull=False),
                                    name="aid_quota_one_per_union"),
            models.UniqueConstraint(fields=["programme", "town_street"], condition=Q(town_street__isnull=False),
                                    name="aid_quota_one_per_town"),
            models.CheckConstraint(condition=Q(union__isnull=True) ^ Q(town_street__isnull=True), name="aid_quota_one_holder"),
        ]

    def __str__(self):
        return f"{self.union or self.town_street}: {self.places}"


class Enrolment(models.Model):  # 报名
    programme = models.ForeignKey(HealthProgramme, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="enrolments")
    member = models.ForeignKey("members.Member", verbose_name=_("职工"), on_delete=models.PROTECT, related_name="aid_enrolments")
    union = models.ForeignKey("orgs.GrassrootsUnion", verbose_name=_("基层工会"), on_delete=models.PROTECT,
                              null=True, blank=True, related_name="+")
    town_street = models.ForeignKey("orgs.TownStreet", verbose_name=_("镇街"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报名人"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    enrolled_at = models.DateTimeField(_("报名时间"), default=timezone.now)

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["-enrolled_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["programme", "member"], name="aid_one_enrolment_per_programme",
                                               violation_error_message=_("您已报名该项目。"))]

    def __str__(self):
        return f"{self.programme} · {self.member}"

    @property
    def ref(self) -> str:
        return f"aid.enrolment:{self.pk}"
