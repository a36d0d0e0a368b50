"""Workers' innovation space (职工众创空间): spaces and their places, calls, team applications
with a panel review, residencies with quarterly progress reports, and the innovation studios
led by model workers and craftsmen (劳模/工匠创新工作室)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import Evidence, StatusChange


class Industry(models.Model):  # 产业（参考数据，工作人员维护）
    name = models.CharField(_("产业名称"), max_length=50, unique=True)
    is_strategic = models.BooleanField(_("战略性产业"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("产业")
        verbose_name_plural = _("产业")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class Space(models.Model):  # 众创空间
    name = models.CharField(_("空间名称"), max_length=100, unique=True)
    address = models.CharField(_("地址"), max_length=200)
    description = models.TextField(_("简介"), blank=True)

    class Meta:
        verbose_name = _("众创空间")
        verbose_name_plural = _("众创空间")
        ordering = ["id"]

    def __str__(self):
        return self.name


class Place(models.Model):  # 工位/房间
    class Kind(models.TextChoices):
        DESK = "desk", _("工位")
        ROOM = "room", _("独立房间")

    space = models.ForeignKey(Space, verbose_name=_("众创空间"), on_delete=models.PROTECT, related_name="places")
    name = models.CharField(_("编号/名称"), max_length=50)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.DESK)
    capacity = models.PositiveSmallIntegerField(_("可容纳人数"), default=1)
    is_active = models.BooleanField(_("可使用"), default=True)

    class Meta:
        verbose_name = _("工位/房间")
        verbose_name_plural = _("工位/房间")
        ordering = ["space_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["space", "name"], name="innovation_place_unique_name"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="innovation_place_capacity_positive"),
        ]

    def __str__(self):
        return f"{self.space.name} {self.name}"


class Call(models.Model):  # 入驻征集
    title = models.CharField(_("征集名称"), max_length=100)
    space = models.ForeignKey(Space, verbose_name=_("众创空间"), on_delete=models.PROTECT, related_name="calls")
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    places_offered = models.PositiveSmallIntegerField(_("提供名额"))
    term_months = models.PositiveSmallIntegerField(_("入驻期（月）"), default=12)
    notice_workdays = models.PositiveSmallIntegerField(
        _("入驻名单公示工作日数"), default=5, validators=[MinValueValidator(1)],
    )
    industries = models.ManyToManyField(Industry, verbose_name=_("重点产业"), related_name="calls")
    description = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("入驻征集")
        verbose_name_plural = _("入驻征集")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="innovation_call_dates_order"),
            models.CheckConstraint(condition=Q(places_offered__gte=1), name="innovation_call_places_positive"),
            models.CheckConstraint(condition=Q(notice_workdays__gte=1), name="innovation_call_notice_workdays_positive"),
        ]

    def __str__(self):
        return self.title

    @property
    def limit_key(self) -> str:
        return f"innovation.places:call={self.pk}"

    def is_open(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.opens_on <= on <= self.closes_on


class Criterion(models.Model):  # 评审标准
    call = models.ForeignKey(Call, verbose_name=_("入驻征集"), on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("评审项"), max_length=100)
    max_score = models.PositiveSmallIntegerField(_("满分"), default=10)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评审标准")
        verbose_name_plural = _("评审标准")
        ordering = ["sort_order", "id"]
        constraints = [models.CheckConstraint(condition=Q(max_score__gte=1), name="innovation_criterion_max_positive")]

    def __str__(self):
        return f"{self.name}（{self.max_score}）"


class Reviewer(models.Model):  # 评审专家
    """A staff login named on a call's panel, with the employer they work for (conflicts)."""

    call = models.ForeignKey(Call, verbose_name=_("入驻征集"), on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评审人"), on_delete=models.PROTECT, related_name="innovation_panels"
    )
    employer = models.ForeignKey(
        "orgs.Employer", verbose_name=_("评审人工作单位"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="innovation_reviewer_once_per_call")]

    def __str__(self):
        return self.user.get_full_name() or self.user.username


class Stage(models.TextChoices):
    IDEA = "idea", _("创意")
    PROTOTYPE = "prototype", _("样品/原型")
    PRODUCT = "product", _("产品")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回修改")
    REVIEWING = "reviewing", _("评审中")
    ADMITTED = "admitted", _("已入驻")
    REJECTED = "rejected", _("未入选")


EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)


def plan_path(instance, filename):
    return f"innovation/plans/{timezone.localdate():%Y/%m}/{filename}"


class Application(models.Model):  # 入驻申请
    call = models.ForeignKey(Call, verbose_name=_("入驻征集"), on_delete=models.PROTECT, related_name="applications")
    lead = models.ForeignKey(
        "members.Member", verbose_name=_("项目负责人"), on_delete=models.PROTECT, related_name="innovation_applications"
    )
    employer = models.ForeignKey(
        "orgs.Employer", verbose_name=_("负责人单位"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    project_name = models.CharField(_("项目名称"), max_length=100)
    industry = models.ForeignKey(Industry, verbose_name=_("所属产业"), on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("项目简介"))
    stage = models.CharField(_("项目阶段"), max_length=20, choices=Stage.choices, default=Stage.IDEA)
    needs_desk = models.BooleanField(_("需要工位"), default=True)
    needs_mentor = models.BooleanField(_("需要导师"), default=False)
    needs_funding_advice = models.BooleanField(_("需要融资咨询"), default=False)
    publish_consent = models.BooleanField(_("同意公开展示"), default=False)
    public_summary = models.CharField(_("公开展示简介"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    return_reason = models.TextField(_("退回原因"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("入驻申请")
        verbose_name_plural = _("入驻申请")
        ordering = ["-created_at", "-id"]
        permissions = [("decide_application", _("可决定入驻"))]
        indexes = [models.Index(fields=["call", "status"], name="innovation_app_call_status")]

    def __str__(self):
        return self.project_name

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class TeamMember(models.Model):  # 团队成员
    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("分工"), max_length=50, blank=True)
    member = models.ForeignKey(
        "members.Member", verbose_name=_("会员"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_lead = models.BooleanField(_("负责人"), default=False)

    class Meta:
        verbose_name = _("团队成员")
        verbose_name_plural = _("团队成员")
        ordering = ["-is_lead", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application"], condition=Q(is_lead=True), name="innovation_one_lead"),
            models.CheckConstraint(condition=Q(is_lead=False) | Q(member__isnull=False), name="innovation_lead_is_member"),
        ]

    def __str__(self):
        return self.name


class BusinessPlan(Evidence):  # 商业计划书
    application = models.ForeignKey(
        Application, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="plans"
    )
    file = models.FileField(_("文件"), upload_to=plan_path)

    class Meta(Evidence.Meta):
        verbose_name = _("商业计划书")
        verbose_name_plural = _("商业计划书")


class ApplicationStatusChange(StatusChange):  # 申请流转记录
    application = models.ForeignKey(
        Application, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="changes"
    )
    from_status = models.CharField(_("原状态"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Status.choices)

    class Meta:
        verbose_name = _("申请流转记录")
        verbose_name_plural = _("申请流转记录")
        ordering = ["at", "id"]


class Review(models.Model):  # 评审打分
    application = models.ForeignKey(
        Application, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(Reviewer, verbose_name=_("评审人"), on_delete=models.PROTECT, related_name="reviews")
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=1, null=True, blank=True)
    comment = models.TextField(_("评语"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评审打分")
        verbose_name_plural = _("评审打分")
        ordering = ["application_id", "id"]
        permissions = [("view_all_scores", _("可查看全部评分"))]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="innovation_review_once"),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(total__isnull=False), name="innovation_review_total_when_submitted"
            ),
        ]

    def __str__(self):
        return f"{self.application} / {self.reviewer}"


class Score(models.Model):  # 单项得分
    review = models.ForeignKey(Review, verbose_name=_("评审"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, verbose_name=_("评审项"), on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("单项得分")
        verbose_name_plural = _("单项得分")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="innovation_score_once"),
            models.CheckConstraint(condition=Q(value__gte=0), name="innovation_score_not_negative"),
        ]


class Residency(models.Model):  # 入驻
    class State(models.TextChoices):
        RESIDENT = "resident", _("在驻")
        GRADUATED = "graduated", _("已毕业")
        WITHDRAWN = "withdrawn", _("主动退出")
        REMOVED = "removed", _("清退")

    application = models.OneToOneField(
        Application, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="residency"
    )
    place = models.ForeignKey(Place, verbose_name=_("工位/房间"), on_delete=models.PROTECT, related_name="residencies")
    starts_on = models.DateField(_("入驻日期"))
    ends_on = models.DateField(_("到期日期"))
    mentor = models.CharField(_("创业导师"), max_length=100, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.RESIDENT)
    left_on = models.DateField(_("离开日期"), null=True, blank=True)
    left_reason = models.CharField(_("离开说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("入驻团队")
        verbose_name_plural = _("入驻团队")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="innovation_residency_dates"),
            models.UniqueConstraint(
                fields=["place"], condition=Q(state="resident"), name="innovation_one_resident_team_per_place"
            ),
        ]

    def __str__(self):
        return str(self.application)


class ProgressReport(models.Model):  # 季度进展报告
    residency = models.ForeignKey(Residency, verbose_name=_("入驻团队"), on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    milestones = models.TextField(_("进展与里程碑"))
    revenue = models.DecimalField(_("营业收入（元）"), max_digits=14, decimal_places=2, default=0)
    jobs_created = models.PositiveIntegerField(_("新增就业岗位"), default=0)
    patents = models.PositiveIntegerField(_("新获专利"), default=0)
    filed_at = models.DateTimeField(_("填报时间"), default=timezone.now)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    on_time = models.BooleanField(_("按时填报"), default=True)

    class Meta:
        verbose_name = _("季度进展报告")
        verbose_name_plural = _("季度进展报告")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["residency", "year", "quarter"], name="innovation_report_once_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="innovation_report_quarter_range"),
            models.CheckConstraint(condition=Q(revenue__gte=0), name="innovation_report_revenue_not_negative"),
        ]

    def __str__(self):
        return f"{self.year}Q{self.quarter}"


class Studio(models.Model):  # 劳模/工匠创新工作室
    class Kind(models.TextChoices):
        MODEL_WORKER = "model_worker", _("劳模创新工作室")
        CRAFTSMAN = "craftsman", _("工匠创新工作室")

    name = models.CharField(_("工作室名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    leader_name = models.CharField(_("领衔人"), max_length=50)
    honour = models.ForeignKey(
        "awards.HonourEntry", verbose_name=_("领衔人荣誉"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    employer = models.ForeignKey("orgs.Employer", verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+")
    members = models.TextField(_("成员"), blank=True, help_text=_("每行一位成员"))
    achievements = models.TextField(_("成果"), blank=True, help_text=_("专利、获奖等，每行一项"))
    proposals = models.ManyToManyField(
        "competitions.Proposal", verbose_name=_("被采纳的合理化建议/技术创新"), blank=True, related_name="studios",
        limit_choices_to={"status": "adopted"},
        help_text=_("工作室成员提出、已被采纳的合理化建议和技术创新（来自劳动和技能竞赛栏目）"),
    )
    patents = models.PositiveIntegerField(_("专利数"), default=0)
    is_published = models.BooleanField(_("公开展示"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("创新工作室")
        verbose_name_plural = _("创新工作室")
        ordering = ["name"]

    def __str__(self):
        return self.name


class StudioRecognition(models.Model):  # 市级命名
    studio = models.ForeignKey(Studio, verbose_name=_("工作室"), on_delete=models.CASCADE, related_name="recognitions")
    year = models.PositiveSmallIntegerField(_("命名年度"))
    title = models.CharField(_("命名称号"), max_length=100, default=_("市级劳模（工匠）创新工作室"))

    class Meta:
        verbose_name = _("市级命名")
        verbose_name_plural = _("市级命名")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["studio", "year"], name="innovation_recognition_once_a_year")]

    def __str__(self):
        return f"{self.year} {self.title}"
