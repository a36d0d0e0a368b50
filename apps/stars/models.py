from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import Evidence, StatusChange
from apps.orgs.models import GrassrootsUnion


class StarRatingManager(models.Manager):
    def get_by_natural_key(self, union_name, year):
        return self.get(union__name=union_name, year=year)


class StarRating(models.Model):  # 星级工会评定: a union's star level for one year
    """The star level a union holds for one year; stars are reviewed yearly, not for life.

    The evaluation workflow (rubric, self-assessment, scoring) arrives in a later issue; this is
    its outcome, which the honour roll publishes.
    """

    class Level(models.IntegerChoices):
        ONE = 1, _("一星级")
        TWO = 2, _("二星级")
        THREE = 3, _("三星级")
        FOUR = 4, _("四星级")
        FIVE = 5, _("五星级")

    union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("基层工会"), on_delete=models.PROTECT, related_name="star_ratings"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.PositiveSmallIntegerField(_("星级"), choices=Level.choices)
    is_demonstration = models.BooleanField(
        _("五星级示范工会"), default=False, help_text=_("只有五星级工会可以被命名为示范工会")
    )
    decided_on = models.DateField(_("评定日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    evaluation = models.OneToOneField(
        "stars.Evaluation", verbose_name=_("评定申报"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="rating", editable=False,
    )
    withdrawn_on = models.DateField(_("摘星日期"), null=True, blank=True, editable=False)
    change_note = models.TextField(_("降星/摘星原因"), blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = StarRatingManager()

    class Meta:
        verbose_name = _("星级评定")
        verbose_name_plural = _("星级评定")
        ordering = ["-year", "-level", "union__name"]
        constraints = [
            models.UniqueConstraint(fields=["union", "year"], name="stars_rating_union_year_unique"),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=5), name="stars_rating_level_1_to_5",
                violation_error_message=_("星级只能是 1 到 5。"),
            ),
            models.CheckConstraint(
                condition=Q(is_demonstration=False) | Q(level=5), name="stars_demonstration_only_five_star",
                violation_error_message=_("只有五星级工会才能命名为五星级示范工会。"),
            ),
        ]
        indexes = [
            models.Index(fields=["year", "level"], name="stars_rating_year_level_idx"),
            models.Index(fields=["year", "is_demonstration"], name="stars_rating_year_demo_idx"),
        ]

    def __str__(self):
        return f"{self.union} · {self.year} · {self.get_level_display()}"

    def natural_key(self):
        return (self.union.name, self.year)

    natural_key.dependencies = ["orgs.grassrootsunion"]


# ---------------------------------------------------------------------------------------------
# The evaluation cycle (issue 20): a rubric per year, self-assessment, review, publication.


class Dimension(models.TextChoices):
    ORGANISATION = "organisation", _("组织建设")
    DEMOCRACY = "democracy", _("民主管理")
    RIGHTS = "rights", _("维权服务")
    HOME = "home", _("职工之家建设")
    FUNDS = "funds", _("经费管理")
    SERVICE = "service", _("会员服务")


class Rubric(models.Model):  # 星级工会评定标准: one version of a year's rubric
    """The criteria and thresholds of one year. Once an evaluation uses a version its criteria
    and thresholds are frozen; staff change the rules by making a new version (`rubric_copy`)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    title = models.CharField(_("名称"), max_length=100)
    deadline = models.DateField(_("自评提交截止日期"))
    valid_years = models.PositiveSmallIntegerField(
        _("星级有效年数"), default=3, help_text=_("评定的星级有效几年，到期须重新评定")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评定标准")
        verbose_name_plural = _("评定标准")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="stars_rubric_year_version_unique"),
            models.CheckConstraint(
                condition=Q(valid_years__gte=1) & Q(valid_years__lte=10), name="stars_rubric_valid_years_range",
                violation_error_message=_("星级有效年数应为 1 至 10 年。"),
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.year}年度 第{self.version}版）"

    @property
    def is_in_use(self) -> bool:
        return self.evaluations.exists()


class Criterion(models.Model):  # 评定细则
    rubric = models.ForeignKey(Rubric, verbose_name=_("评定标准"), on_delete=models.CASCADE, related_name="criteria")
    dimension = models.CharField(_("类别"), max_length=20, choices=Dimension.choices)
    title = models.CharField(_("评定内容"), max_length=200)
    max_score = models.DecimalField(_("满分"), max_digits=5, decimal_places=1, default=Decimal("0"))
    evidence_expected = models.TextField(_("应提供的材料"), blank=True)
    is_veto = models.BooleanField(
        _("一票否决"), default=False,
        help_text=_("一票否决项：如年内发生严重劳动争议或重大安全事故，无论得分多少均不评星级"),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评定细则")
        verbose_name_plural = _("评定细则")
        ordering = ["rubric", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_score__gte=0), name="stars_criterion_max_not_negative",
                violation_error_message=_("满分不能为负数。"),
            ),
        ]

    def __str__(self):
        return self.title


class Threshold(models.Model):  # 星级分数线: level `level` for min_score <= total < max_score
    """The total from `min_score` (included) up to `max_score` (excluded; included for the top
    level) gives `level`. A rubric's thresholds must join up: no overlap and no gap."""

    rubric = models.ForeignKey(Rubric, verbose_name=_("评定标准"), on_delete=models.CASCADE, related_name="thresholds")
    level = models.PositiveSmallIntegerField(_("星级"), choices=StarRating.Level.choices)
    min_score = models.DecimalField(_("最低分（含）"), max_digits=6, decimal_places=1)
    max_score = models.DecimalField(_("最高分（不含，最高星级含）"), max_digits=6, decimal_places=1)

    class Meta:
        verbose_name = _("星级分数线")
        verbose_name_plural = _("星级分数线")
        ordering = ["rubric", "level"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "level"], name="stars_threshold_rubric_level_unique"),
            models.CheckConstraint(
                condition=Q(min_score__lt=F("max_score")) & Q(min_score__gte=0), name="stars_threshold_min_below_max",
                violation_error_message=_("分数线的最低分应不小于 0 且小于最高分。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.min_score}–{self.max_score}"


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回修改")
    REVIEWED = "reviewed", _("已评审")
    PUBLISHED = "published", _("已公布")
    WITHDRAWN = "withdrawn", _("已摘星")


class Evaluation(models.Model):  # 星级工会评定申报: one union, one year
    union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("基层工会"), on_delete=models.PROTECT, related_name="star_evaluations"
    )
    rubric = models.ForeignKey(Rubric, verbose_name=_("评定标准"), on_delete=models.PROTECT, related_name="evaluations")
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=20, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    self_total = models.DecimalField(_("自评总分"), max_digits=6, decimal_places=1, null=True, blank=True)
    review_total = models.DecimalField(_("评审总分"), max_digits=6, decimal_places=1, null=True, blank=True)
    vetoed = models.BooleanField(_("触发一票否决"), default=False)
    level = models.PositiveSmallIntegerField(_("评定星级"), choices=StarRating.Level.choices, null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    returned_reason = models.TextField(_("退回原因"), blank=True)
    review_comment = models.TextField(_("评审意见"), blank=True)
    site_visit_on = models.DateField(_("实地考察日期"), null=True, blank=True)
    site_visit_note = models.TextField(_("实地考察记录"), blank=True)
    reviewed_by = models.ForeignKey(
        "auth.User", verbose_name=_("评审人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("评审时间"), null=True, blank=True)
    is_demonstration = models.BooleanField(_("命名为五星级示范工会"), default=False)
    demonstration_decided_on = models.DateField(_("命名决定日期"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    valid_until_year = models.PositiveSmallIntegerField(_("星级有效至（年度）"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("摘星/降星原因"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    # when the union's officers were reminded of the deadline (once per union and year)
    reminded_at = models.DateTimeField(_("截止提醒时间"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("星级评定申报")
        verbose_name_plural = _("星级评定申报")
        ordering = ["-year", "union__name"]
        permissions = [
            ("review_evaluation", _("可以评审星级评定申报")),
            ("publish_evaluation", _("可以公布、摘星星级评定")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["union", "year"], name="stars_evaluation_union_year_unique"),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | (Q(level__gte=1) & Q(level__lte=5)),
                name="stars_evaluation_level_1_to_5", violation_error_message=_("星级只能是 1 到 5。"),
            ),
            models.CheckConstraint(
                condition=Q(is_demonstration=False) | Q(level=5), name="stars_evaluation_demo_only_five",
                violation_error_message=_("只有五星级工会才能命名为五星级示范工会。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(reviewed_at__isnull=False),
                name="stars_evaluation_published_was_reviewed",
                violation_error_message=_("未评审的申报不能公布。"),
            ),
        ]
        indexes = [
            models.Index(fields=["year", "status"], name="stars_eval_year_status_idx"),
        ]

    def __str__(self):
        return f"{self.union} · {self.year}年度"


class EvaluationScore(models.Model):  # 一项细则的自评分和评审分
    evaluation = models.ForeignKey(Evaluation, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, verbose_name=_("评定细则"), on_delete=models.PROTECT, related_name="+")
    self_score = models.DecimalField(_("自评分"), max_digits=5, decimal_places=1, null=True, blank=True)
    explanation = models.TextField(_("自评说明"), blank=True)
    self_veto = models.BooleanField(_("自报存在否决情形"), default=False)
    review_score = models.DecimalField(_("评审分"), max_digits=5, decimal_places=1, null=True, blank=True)
    review_comment = models.TextField(_("评审意见"), blank=True)
    veto_triggered = models.BooleanField(_("触发一票否决"), default=False)

    class Meta:
        verbose_name = _("细则得分")
        verbose_name_plural = _("细则得分")
        ordering = ["criterion__sort_order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="stars_score_eval_criterion_unique"),
            models.CheckConstraint(
                condition=(Q(self_score__isnull=True) | Q(self_score__gte=0))
                & (Q(review_score__isnull=True) | Q(review_score__gte=0)),
                name="stars_score_not_negative", violation_error_message=_("分数不能为负数。"),
            ),
        ]

    def __str__(self):
        return str(self.criterion)


def evidence_path(instance, filename):
    return f"stars/evidence/{timezone.localdate():%Y/%m}/{filename}"


class EvaluationEvidence(Evidence):  # 自评佐证材料
    """An image or PDF proving one criterion's self-assessment; checked by content on arrival,
    served only through an access-checked view, withdrawn (never deleted)."""

    score = models.ForeignKey(EvaluationScore, verbose_name=_("细则得分"), on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(_("文件"), upload_to=evidence_path)

    class Meta(Evidence.Meta):
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")


class EvaluationStatusChange(StatusChange):
    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("原状态"), max_length=20, blank=True, choices=EvaluationStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=20, choices=EvaluationStatus.choices)
    level_before = models.PositiveSmallIntegerField(_("原星级"), null=True, blank=True)
    level_after = models.PositiveSmallIntegerField(_("新星级"), null=True, blank=True)

    class Meta(StatusChange.Meta):
        verbose_name = _("申报状态变更")
        verbose_name_plural = _("申报状态变更")
