"""Rights protection (工会社会化维权): dispute cases with their workflow and time limits, legal
aid, arbitration observation and the four-season supervision campaign (监督四季行)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts import roles
from apps.core.fields import AmountField, DocumentNumberField, MobilePhoneField
from apps.core.masking import mask_name, mask_phone
from apps.core.models import Evidence, StatusChange
from apps.orgs.models import Employer, GrassrootsUnion, TownStreet


class Category(models.TextChoices):
    LABOUR_CONTRACT = "contract", _("劳动合同")
    WAGE_ARREARS = "wages", _("拖欠工资")
    SOCIAL_INSURANCE = "insurance", _("社会保险")
    WORK_INJURY = "injury", _("工伤")
    DISMISSAL = "dismissal", _("解除劳动关系")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    ONLINE = "online", _("网上求助")
    WALK_IN = "walk_in", _("窗口来访")
    CIRCUIT = "circuit", _("巡回受理")
    HOTLINE = "hotline", _("12351热线")


class Grade(models.TextChoices):  # the national 12351 practice
    GENERAL = "general", _("一般")
    DIFFICULT = "difficult", _("疑难")
    VERY_COMPLEX = "complex", _("重大复杂")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    DECLINED = "declined", _("不予受理")
    MEDIATION = "mediation", _("调解中")
    LEGAL_AID = "legal_aid", _("法律援助中")
    ARBITRATION = "arbitration", _("仲裁中")
    RETURN_VISIT = "return_visit", _("待回访")
    CLOSED = "closed", _("已结案")


# The allowed moves. Handling may change route (mediation fails -> arbitration, a worker gets
# a legal-aid lawyer for the arbitration); a return visit that finds the matter unsettled sends
# it back to handling; only a return visit leads to closing.
HANDLING = (Status.MEDIATION, Status.LEGAL_AID, Status.ARBITRATION)
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.SUBMITTED: (Status.ACCEPTED, Status.DECLINED),
    Status.ACCEPTED: HANDLING,
    Status.MEDIATION: (Status.LEGAL_AID, Status.ARBITRATION, Status.RETURN_VISIT),
    Status.LEGAL_AID: (Status.ARBITRATION, Status.RETURN_VISIT),
    Status.ARBITRATION: (Status.LEGAL_AID, Status.RETURN_VISIT),
    Status.RETURN_VISIT: (*HANDLING, Status.CLOSED),
    Status.DECLINED: (),
    Status.CLOSED: (),
}
OPEN_STATUSES = tuple(s for s, targets in TRANSITIONS.items() if targets)


class Step(models.TextChoices):
    """A stage with a time limit: the limit runs from the day the case enters it."""

    ACCEPT = "accept", _("受理审查")
    ASSIGN = "assign", _("分流办理")
    MEDIATION = "mediation", _("调解")
    LEGAL_AID = "legal_aid", _("法律援助")
    ARBITRATION = "arbitration", _("仲裁")
    RETURN_VISIT = "return_visit", _("回访结案")


STEP_OF_STATUS = {
    Status.SUBMITTED: Step.ACCEPT,
    Status.ACCEPTED: Step.ASSIGN,
    Status.MEDIATION: Step.MEDIATION,
    Status.LEGAL_AID: Step.LEGAL_AID,
    Status.ARBITRATION: Step.ARBITRATION,
    Status.RETURN_VISIT: Step.RETURN_VISIT,
}

# Used when staff have deleted a limit row: the same values the data migration entered.
DEFAULT_LIMIT_DAYS = {
    Step.ACCEPT: {Grade.GENERAL: 3, Grade.DIFFICULT: 3, Grade.VERY_COMPLEX: 3},
    Step.ASSIGN: {Grade.GENERAL: 2, Grade.DIFFICULT: 3, Grade.VERY_COMPLEX: 5},
    Step.MEDIATION: {Grade.GENERAL: 15, Grade.DIFFICULT: 30, Grade.VERY_COMPLEX: 45},
    Step.LEGAL_AID: {Grade.GENERAL: 20, Grade.DIFFICULT: 40, Grade.VERY_COMPLEX: 60},
    Step.ARBITRATION: {Grade.GENERAL: 45, Grade.DIFFICULT: 60, Grade.VERY_COMPLEX: 90},
    Step.RETURN_VISIT: {Grade.GENERAL: 5, Grade.DIFFICULT: 5, Grade.VERY_COMPLEX: 10},
}


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("已解决")
    PARTLY = "partly", _("部分解决")
    NOT_RESOLVED = "not_resolved", _("未解决")
    WITHDRAWN = "withdrawn", _("撤回")


class TimeLimit(models.Model):  # 办理时限
    """How many working days a step may take, per category and grade; staff keep the table."""

    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    grade = models.CharField(_("案件等级"), max_length=20, choices=Grade.choices)
    step = models.CharField(_("环节"), max_length=20, choices=Step.choices)
    workdays = models.PositiveSmallIntegerField(_("时限（工作日）"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        ordering = ["category", "grade", "step"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "grade", "step"], name="rights_limit_unique",
                violation_error_message=_("该类别、等级和环节的时限已存在。"),
            ),
            models.CheckConstraint(condition=Q(workdays__gte=1), name="rights_limit_positive",
                violation_error_message=_("时限至少为1个工作日。")),
        ]

    def __str__(self):
        return f"{self.get_category_display()}·{self.get_grade_display()}·{self.get_step_display()}：{self.workdays}"


def attachment_path(instance, filename):
    return f"private/rights/{timezone.localdate():%Y/%m}/{filename}"


class RightsCase(models.Model):  # 维权案件
    """A worker's request for help with a labour dispute, from a member or a non-member.

    The number (WQ2026-000123) is gapless per year. `status` changes only through
    `services.case_transition`, which keeps `due_on` (the current step's deadline) and
    writes a CaseStatusChange row per move.
    """

    number = models.CharField(_("案件编号"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    idempotency_key = models.UUIDField(_("提交令牌"), null=True, blank=True, editable=False)
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    member = models.ForeignKey(
        "members.Member", verbose_name=_("会员"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="rights_cases",
    )
    worker_name = models.CharField(_("职工姓名"), max_length=50)
    worker_phone = MobilePhoneField(_("联系电话"), max_length=11)
    worker_id_number = DocumentNumberField(_("身份证号码"), max_length=20, blank=True)
    employer = models.ForeignKey(
        Employer, verbose_name=_("用人单位"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="rights_cases",
    )
    employer_name = models.CharField(
        _("用人单位名称"), max_length=100, blank=True, help_text=_("单位不在名录中时填写")
    )
    town_street = models.ForeignKey(
        TownStreet, verbose_name=_("所在镇街"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="rights_cases",
    )
    description = models.TextField(_("事情经过与诉求"))
    amount_owed = AmountField(_("涉及金额（元）"), max_digits=12, decimal_places=2, default=0)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, editable=False
    )
    grade = models.CharField(
        _("案件等级"), max_length=20, choices=Grade.choices, default=Grade.GENERAL, editable=False
    )
    due_on = models.DateField(_("本环节时限"), null=True, blank=True, editable=False)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("承办人"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="rights_cases_handled",
        limit_choices_to={"is_staff": True, "is_active": True, "groups__name": roles.RIGHTS},
    )
    decline_reason = models.TextField(_("不予受理原因"), blank=True, editable=False)
    settled = models.BooleanField(_("回访：是否已解决"), null=True, blank=True, editable=False)
    satisfaction = models.PositiveSmallIntegerField(
        _("回访：满意度（1-5）"), null=True, blank=True, editable=False
    )
    outcome = models.CharField(
        _("结案结果"), max_length=20, choices=Outcome.choices, blank=True, editable=False
    )
    amount_recovered = AmountField(
        _("挽回金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True, editable=False
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, editable=False)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+", editable=False,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("维权案件")
        verbose_name_plural = _("维权案件")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # One case per submitted form, however often it is sent (double tap, back button).
            models.UniqueConstraint(fields=["idempotency_key"], name="rights_case_idempotency_unique"),
            models.CheckConstraint(condition=Q(amount_owed__gte=0), name="rights_case_owed_not_negative",
                violation_error_message=_("涉及金额不能为负数。")),
            models.CheckConstraint(
                condition=Q(amount_recovered__isnull=True) | Q(amount_recovered__gte=0),
                name="rights_case_recovered_not_negative",
                violation_error_message=_("挽回金额不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="rights_case_satisfaction_range",
                violation_error_message=_("满意度应为 1 至 5 分。"),
            ),
            models.CheckConstraint(
                condition=~Q(employer__isnull=True, employer_name=""), name="rights_case_has_employer",
                violation_error_message=_("请选择用人单位，或填写名录中没有的单位名称。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.DECLINED) | ~Q(decline_reason=""),
                name="rights_case_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.CLOSED) | (~Q(outcome="") & Q(amount_recovered__isnull=False)),
                name="rights_case_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[Status.DECLINED, Status.CLOSED]) | Q(due_on__isnull=False),
                name="rights_case_open_has_deadline",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="rights_case_status_due_idx"),
            models.Index(fields=["worker_phone"], name="rights_case_phone_idx"),
            models.Index(fields=["handler", "due_on"], name="rights_case_handler_due_idx"),
        ]

    def __str__(self):
        return self.number

    @property
    def employer_display(self) -> str:
        return self.employer.name if self.employer_id else self.employer_name

    @property
    def masked_worker_name(self) -> str:
        return mask_name(self.worker_name)

    @property
    def masked_worker_phone(self) -> str:
        return mask_phone(self.worker_phone)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()

    @property
    def step(self) -> str | None:
        return STEP_OF_STATUS.get(self.status)


class CaseStatusChange(StatusChange):  # 案件流转记录
    """One move of a case (or, with from == to, a note): who, when, from, to, why.

    `is_internal` hides the note from the worker; the move itself is always shown to them.
    `was_late` records that the step being left had passed its deadline.
    """

    case = models.ForeignKey(RightsCase, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(_("原状态"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Status.choices)
    is_internal = models.BooleanField(_("仅内部可见"), default=False)
    due_on = models.DateField(_("原环节时限"), null=True, blank=True)
    was_late = models.BooleanField(_("超期办理"), default=False)

    class Meta:
        verbose_name = _("案件流转记录")
        verbose_name_plural = _("案件流转记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="rights_change_case_at_idx")]

    @property
    def is_move(self) -> bool:
        return self.from_status != self.to_status


class CaseAttachment(Evidence):  # 案件材料
    """An image or PDF, checked by content when it arrived; served only by an access-checked
    view; kept for good (withdrawn with a reason, never deleted)."""

    case = models.ForeignKey(RightsCase, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path)

    class Meta(Evidence.Meta):
        verbose_name = _("案件材料")
        verbose_name_plural = _("案件材料")


class LegalAidGrant(models.Model):  # 法律援助
    class Provider(models.TextChoices):
        LAWYER = "lawyer", _("律师")
        AGENCY = "agency", _("法律援助机构")

    class Result(models.TextChoices):
        PENDING = "pending", _("办理中")
        SUPPORTED = "supported", _("请求获支持")
        PARTLY = "partly", _("部分支持")
        REJECTED = "rejected", _("未获支持")
        SETTLED = "settled", _("调解和解")
        WITHDRAWN = "withdrawn", _("撤回")

    case = models.OneToOneField(
        RightsCase, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="legal_aid"
    )
    provider_kind = models.CharField(_("援助方类型"), max_length=10, choices=Provider.choices)
    provider_name = models.CharField(_("律师事务所或援助机构"), max_length=100)
    lawyer_name = models.CharField(_("承办律师"), max_length=30, blank=True)
    approved_on = models.DateField(_("批准日期"))
    approved_hours = models.DecimalField(_("批准工时（小时）"), max_digits=6, decimal_places=1, null=True, blank=True)
    approved_fee = AmountField(_("批准费用（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    result = models.CharField(_("援助结果"), max_length=20, choices=Result.choices, default=Result.PENDING)
    result_note = models.TextField(_("结果说明"), blank=True)
    finished_on = models.DateField(_("办结日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("法律援助")
        verbose_name_plural = _("法律援助")
        ordering = ["-approved_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_hours__isnull=False) | Q(approved_fee__isnull=False),
                name="rights_aid_hours_or_fee",
                violation_error_message=_("请填写批准工时或批准费用。"),
            ),
            models.CheckConstraint(
                condition=(Q(approved_hours__isnull=True) | Q(approved_hours__gte=0))
                & (Q(approved_fee__isnull=True) | Q(approved_fee__gte=0)),
                name="rights_aid_not_negative",
                violation_error_message=_("工时和费用不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(result="pending") | Q(finished_on__isnull=False), name="rights_aid_finished_dated",
                violation_error_message=_("有援助结果时请填写办结日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.case} · {self.provider_name}"

    def clean(self):
        errors = {}
        if self.approved_hours is None and self.approved_fee is None:
            errors["approved_fee"] = _("请填写批准工时或批准费用。")
        if self.result != self.Result.PENDING and not self.finished_on:
            errors["finished_on"] = _("有援助结果时请填写办结日期。")
        if errors:
            raise ValidationError(errors)


class ArbitrationObservation(models.Model):  # 仲裁旁听
    """A union chair attending a labour-arbitration hearing, with a short record."""

    chair_name = models.CharField(_("旁听工会主席"), max_length=30)
    union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("所在工会"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="arbitration_observations",
    )
    hearing_on = models.DateField(_("开庭日期"))
    tribunal = models.CharField(_("仲裁机构"), max_length=100, default="义乌市劳动人事争议仲裁委员会")
    arbitration_number = models.CharField(_("仲裁案号"), max_length=50, blank=True)
    case = models.ForeignKey(
        RightsCase, verbose_name=_("关联维权案件"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="observations",
    )
    record = models.TextField(_("旁听记录"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+", editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("仲裁旁听")
        verbose_name_plural = _("仲裁旁听")
        ordering = ["-hearing_on", "-id"]

    def __str__(self):
        return f"{self.hearing_on:%Y-%m-%d} {self.chair_name}"


class Season(models.TextChoices):
    SPRING = "spring", _("春季")
    SUMMER = "summer", _("夏季")
    AUTUMN = "autumn", _("秋季")
    WINTER = "winter", _("冬季")


SEASON_THEMES = {
    Season.SPRING: _("劳动合同签订与履行"),
    Season.SUMMER: _("安全生产与防暑降温"),
    Season.AUTUMN: _("社会保险费缴纳"),
    Season.WINTER: _("工资支付"),
}


class SupervisionCampaign(models.Model):  # 监督四季行
    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("名称"), max_length=100, blank=True, help_text=_("留空则为“某年监督四季行”"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("监督四季行")
        verbose_name_plural = _("监督四季行")
        ordering = ["-year"]

    def __str__(self):
        return self.title


class SupervisionTheme(models.Model):  # 季度主题
    campaign = models.ForeignKey(
        SupervisionCampaign, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="themes"
    )
    season = models.CharField(_("季度"), max_length=10, choices=Season.choices)
    title = models.CharField(_("主题"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("季度主题")
        verbose_name_plural = _("季度主题")
        ordering = ["campaign", "season"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "season"], name="rights_theme_one_per_season",
                violation_error_message=_("每个季度只有一个主题。"),
            )
        ]

    def __str__(self):
        return f"{self.campaign.year} {self.get_season_display()}·{self.title}"


class ChecklistItem(models.Model):  # 检查项目
    theme = models.ForeignKey(
        SupervisionTheme, verbose_name=_("主题"), on_delete=models.CASCADE, related_name="checklist"
    )
    text = models.CharField(_("检查内容"), max_length=200)
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("检查项目")
        verbose_name_plural = _("检查项目")
        ordering = ["theme", "order", "id"]

    def __str__(self):
        return self.text


class Inspection(models.Model):  # 监督检查
    theme = models.ForeignKey(
        SupervisionTheme, verbose_name=_("主题"), on_delete=models.PROTECT, related_name="inspections"
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("被检查单位"), on_delete=models.PROTECT, related_name="inspections"
    )
    inspected_on = models.DateField(_("检查日期"))
    inspectors = models.CharField(_("检查人员"), max_length=200)
    summary = models.TextField(_("检查情况"), blank=True)
    rectification_due = models.DateField(_("整改期限"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("监督检查")
        verbose_name_plural = _("监督检查")
        ordering = ["-inspected_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rectification_due__isnull=True) | Q(rectification_due__gte=models.F("inspected_on")),
                name="rights_inspection_due_after_visit",
                violation_error_message=_("整改期限不能早于检查日期。"),
            )
        ]
        indexes = [models.Index(fields=["employer", "inspected_on"], name="rights_inspection_emp_idx")]

    def __str__(self):
        return f"{self.employer} {self.inspected_on:%Y-%m-%d}"

    def clean(self):
        if self.rectification_due and self.inspected_on and self.rectification_due < self.inspected_on:
            raise ValidationError({"rectification_due": _("整改期限不能早于检查日期。")})


class FollowUp(models.TextChoices):
    NOT_NEEDED = "not_needed", _("无需整改")
    OPEN = "open", _("整改中")
    RECTIFIED = "rectified", _("已整改")
    REFERRED = "referred", _("已移交劳动监察")


# A problem is rectified by the employer or referred to the labour inspectorate, which may
# still see it rectified later; nothing reopens a rectified finding.
FOLLOW_UP_TRANSITIONS: dict[str, tuple[str, ...]] = {
    FollowUp.OPEN: (FollowUp.RECTIFIED, FollowUp.REFERRED),
    FollowUp.REFERRED: (FollowUp.RECTIFIED,),
    FollowUp.RECTIFIED: (),
    FollowUp.NOT_NEEDED: (),
}


class Finding(models.Model):  # 检查发现
    """The result of one checklist item at one inspection; a problem carries its follow-up."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("检查"), on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(ChecklistItem, verbose_name=_("检查项目"), on_delete=models.PROTECT, related_name="findings")
    is_compliant = models.BooleanField(_("符合要求"), default=False)
    description = models.TextField(_("问题描述"), blank=True)
    follow_up = models.CharField(
        _("整改跟踪"), max_length=20, choices=FollowUp.choices, default=FollowUp.OPEN, editable=False
    )
    follow_up_note = models.TextField(_("跟踪说明"), blank=True, editable=False)
    followed_up_on = models.DateField(_("跟踪日期"), null=True, blank=True, editable=False)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("跟踪人"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+", editable=False,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("检查发现")
        verbose_name_plural = _("检查发现")
        ordering = ["inspection", "item__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item"], name="rights_finding_one_per_item",
                violation_error_message=_("同一次检查中每个检查项目只记录一次。"),
            ),
            models.CheckConstraint(
                condition=Q(is_compliant=True, follow_up="not_needed")
                | Q(is_compliant=False, follow_up__in=["open", "rectified", "referred"]),
                name="rights_finding_follow_up_matches",
            ),
        ]

    def __str__(self):
        return f"{self.inspection} · {self.item}"

    def clean(self):
        errors = {}
        if self.item_id and self.inspection_id and self.item.theme_id != self.inspection.theme_id:
            errors["item"] = _("检查项目不属于本次检查的主题。")
        if not self.is_compliant and not self.description.strip():
            errors["description"] = _("不符合要求时请描述发现的问题。")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Whether an item complies decides whether a follow-up exists at all (see the constraint).
        if self.is_compliant:
            self.follow_up = FollowUp.NOT_NEEDED
        elif self.follow_up == FollowUp.NOT_NEEDED:
            self.follow_up = FollowUp.OPEN
        super().save(*args, **kwargs)


class InspectionCandidate(Employer):
    """Employers worth inspecting next: two or more cases in 12 months, not inspected this year
    (a read-only admin list; see selectors.inspection_candidates)."""

    class Meta:
        proxy = True
        verbose_name = _("待检查单位")
        verbose_name_plural = _("待检查单位（近12个月2件以上案件）")
