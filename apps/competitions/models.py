"""Labour and skills competitions (劳动和技能竞赛) and rationalisation proposals (合理化建议).

A competition has events by trade; an event has a registration window, eligibility rules, a
capacity (held in the limits ledger under ``competitions.event:event=<pk>``) and weighted
rounds. A registration is a member's place (or place on the waiting list) in one event, with
its scores, total, rank and award once the results are computed.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import Evidence, StatusChange


class CertificateLevel(models.IntegerChoices):  # 职业资格/技能等级
    NONE = 0, _("无")
    JUNIOR = 5, _("初级工（五级）")
    MIDDLE = 4, _("中级工（四级）")
    SENIOR = 3, _("高级工（三级）")
    TECHNICIAN = 2, _("技师（二级）")
    SENIOR_TECHNICIAN = 1, _("高级技师（一级）")


def level_rank(level: int) -> int:
    """How high a level is (0 = none, 5 = 高级技师): the stored values count down like the
    national grades (五级 … 一级)."""
    return 0 if not level else 6 - int(level)


class Competition(models.Model):  # 竞赛
    name = models.CharField(_("竞赛名称"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    organiser = models.ForeignKey(
        "orgs.GrassrootsUnion", verbose_name=_("主办基层工会"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="competitions", help_text=_("市总工会主办的竞赛留空。"),
    )
    description = models.TextField(_("简介"), blank=True)
    one_event_only = models.BooleanField(_("每人限报一个项目"), default=True)
    is_published = models.BooleanField(_("对外公布"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("竞赛")
        verbose_name_plural = _("竞赛")
        ordering = ["-year", "-id"]

    def __str__(self):
        return self.name


class Event(models.Model):  # 竞赛项目（按工种）
    class TieBreak(models.TextChoices):
        NONE = "none", _("不区分（并列）")
        PRACTICAL = "practical", _("实操成绩高者优先")

    class AwardBasis(models.TextChoices):
        COUNT = "count", _("按名额")
        SHARE = "share", _("按比例（%）")

    competition = models.ForeignKey(Competition, verbose_name=_("竞赛"), on_delete=models.PROTECT, related_name="events")
    trade = models.CharField(_("工种"), max_length=50)
    name = models.CharField(_("项目名称"), max_length=100)
    held_on = models.DateField(_("比赛日期"))
    registration_opens = models.DateField(_("报名开始"))
    registration_closes = models.DateField(_("报名截止"))
    min_age = models.PositiveSmallIntegerField(_("最低年龄"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("最高年龄"), null=True, blank=True)
    required_level = models.PositiveSmallIntegerField(
        _("要求证书等级（不低于）"), choices=CertificateLevel.choices, default=CertificateLevel.NONE
    )
    capacity = models.PositiveIntegerField(_("名额"), validators=[MinValueValidator(1)])
    tie_break = models.CharField(_("同分处理"), max_length=10, choices=TieBreak.choices, default=TieBreak.NONE)
    award_basis = models.CharField(_("奖项设置方式"), max_length=10, choices=AwardBasis.choices, default=AwardBasis.COUNT)
    first_prizes = models.DecimalField(_("一等奖"), max_digits=5, decimal_places=2, default=Decimal("1"),
                                       validators=[MinValueValidator(0)], help_text=_("名额（人）或比例（%）"))
    second_prizes = models.DecimalField(_("二等奖"), max_digits=5, decimal_places=2, default=Decimal("2"),
                                        validators=[MinValueValidator(0)])
    third_prizes = models.DecimalField(_("三等奖"), max_digits=5, decimal_places=2, default=Decimal("3"),
                                       validators=[MinValueValidator(0)])
    merit_prizes = models.DecimalField(_("优秀奖"), max_digits=5, decimal_places=2, default=Decimal("0"),
                                       validators=[MinValueValidator(0)])
    results_published_at = models.DateTimeField(_("成绩公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("竞赛项目")
        verbose_name_plural = _("竞赛项目")
        ordering = ["competition", "held_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(registration_opens__lte=models.F("registration_closes")),
                                   name="competitions_event_window_in_order"),
            models.CheckConstraint(condition=Q(registration_closes__lte=models.F("held_on")),
                                   name="competitions_event_closes_before_held"),
            models.CheckConstraint(condition=Q(min_age__isnull=True) | Q(max_age__isnull=True)
                                   | Q(min_age__lte=models.F("max_age")), name="competitions_event_ages_in_order"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="competitions_event_capacity_positive"),
        ]

    def __str__(self):
        return f"{self.competition.name}·{self.name}"

    @property
    def limit_key(self) -> str:
        return f"competitions.event:event={self.pk}"

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.registration_opens <= today <= self.registration_closes

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None


class Round(models.Model):  # 比赛环节（理论/实操）
    class Kind(models.TextChoices):
        THEORY = "theory", _("理论")
        PRACTICAL = "practical", _("实操")

    event = models.ForeignKey(Event, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField(_("环节"), max_length=10, choices=Kind.choices)
    weight = models.DecimalField(_("权重（%）"), max_digits=5, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(100)])
    full_marks = models.DecimalField(_("满分"), max_digits=6, decimal_places=2, default=Decimal("100"),
                                     validators=[MinValueValidator(Decimal("1"))])

    class Meta:
        verbose_name = _("比赛环节")
        verbose_name_plural = _("比赛环节")
        ordering = ["event", "-kind"]  # theory before practical
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="competitions_round_one_per_kind"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=100), name="competitions_round_weight_range"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.weight}%）"


class Award(models.TextChoices):
    FIRST = "first", _("一等奖")
    SECOND = "second", _("二等奖")
    THIRD = "third", _("三等奖")
    MERIT = "merit", _("优秀奖")


class Registration(models.Model):  # 报名
    class Status(models.TextChoices):
        REGISTERED = "registered", _("已报名")
        WAITING = "waiting", _("候补")
        WITHDRAWN = "withdrawn", _("已退出")

    event = models.ForeignKey(Event, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="registrations")
    member = models.ForeignKey("members.Member", verbose_name=_("会员"), on_delete=models.PROTECT,
                               related_name="competition_registrations")
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    certificate_level = models.PositiveSmallIntegerField(_("证书等级"), choices=CertificateLevel.choices,
                                                         default=CertificateLevel.NONE)
    created_at = models.DateTimeField(_("报名时间"), default=timezone.now)
    created_by = models.ForeignKey("auth.User", verbose_name=_("经办人"), on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(_("退出时间"), null=True, blank=True)
    total = models.DecimalField(_("总成绩"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    award = models.CharField(_("奖项"), max_length=10, choices=Award.choices, blank=True)
    city_title = models.CharField(_("市级称号"), max_length=50, blank=True, help_text=_("如“义乌市技术能手”"))
    title_decided_on = models.DateField(_("称号决定日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["event", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], condition=~Q(status="withdrawn"),
                                    name="competitions_registration_one_per_member_event"),
            models.CheckConstraint(condition=Q(city_title="") | Q(title_decided_on__isnull=False),
                                   name="competitions_registration_title_has_date"),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"], name="competitions_reg_queue")]

    def __str__(self):
        return f"{self.member.name} · {self.event.name}"

    @property
    def ref(self) -> str:
        return f"competitions.registration:{self.pk}"


class Score(models.Model):  # 环节成绩
    registration = models.ForeignKey(Registration, verbose_name=_("报名"), on_delete=models.CASCADE,
                                     related_name="scores")
    round = models.ForeignKey(Round, verbose_name=_("环节"), on_delete=models.PROTECT, related_name="scores")
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    entered_by = models.ForeignKey("auth.User", verbose_name=_("录入人"), on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("成绩")
        verbose_name_plural = _("成绩")
        ordering = ["registration", "-round__kind"]  # the rounds' order: theory, then practical
        constraints = [
            models.UniqueConstraint(fields=["registration", "round"], name="competitions_score_one_per_round"),
            models.CheckConstraint(condition=Q(points__gte=0), name="competitions_score_not_negative"),
        ]

    def __str__(self):
        return f"{self.round}: {self.points}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.round_id and self.registration_id and self.round.event_id != self.registration.event_id:
            raise ValidationError({"round": _("该环节不属于本报名的项目。")})
        if self.round_id and self.points is not None and self.points > self.round.full_marks:
            raise ValidationError({"points": _("得分不能超过该环节满分 %(full)s 分。") % {"full": self.round.full_marks}})


class RegistrationChange(StatusChange):  # 报名状态变更
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(_("原状态"), max_length=20, choices=Registration.Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Registration.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("报名状态变更")
        verbose_name_plural = _("报名状态变更")


class Proposal(models.Model):  # 合理化建议 / 技术创新
    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", _("合理化建议")
        INNOVATION = "innovation", _("技术创新")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待评审")
        ADOPTED = "adopted", _("已采纳")
        NOT_ADOPTED = "not_adopted", _("未采纳")

    number = models.CharField(_("编号"), max_length=20, unique=True)
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=100)
    problem = models.TextField(_("存在的问题"), max_length=3000)
    proposal = models.TextField(_("建议内容"), max_length=5000)
    expected_benefit = models.TextField(_("预期效益"), max_length=2000)
    member = models.ForeignKey("members.Member", verbose_name=_("第一作者"), on_delete=models.PROTECT,
                               related_name="competition_proposals")
    co_authors = models.ManyToManyField("members.Member", verbose_name=_("合作者"), blank=True,
                                        related_name="coauthored_proposals")
    union = models.ForeignKey("orgs.GrassrootsUnion", verbose_name=_("基层工会"), on_delete=models.PROTECT,
                              related_name="proposals")
    town_street = models.ForeignKey("orgs.TownStreet", verbose_name=_("镇街"), on_delete=models.PROTECT,
                                    related_name="proposals")
    consent_public = models.BooleanField(_("同意采纳后公开署名"), default=False)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    year = models.PositiveSmallIntegerField(_("年度"))
    reason = models.TextField(_("未采纳原因"), blank=True)
    benefit = models.DecimalField(_("效益（元/年）"), max_digits=14, decimal_places=2, null=True, blank=True,
                                  validators=[MinValueValidator(0)])
    benefit_measured = models.BooleanField(_("效益为实测"), default=False)
    award_amount = models.DecimalField(_("奖励金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True,
                                       validators=[MinValueValidator(0)])
    reviewed_by = models.ForeignKey("auth.User", verbose_name=_("评审人"), on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("评审时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("合理化建议/技术创新")
        verbose_name_plural = _("合理化建议/技术创新")
        ordering = ["-submitted_at", "-id"]
        permissions = [("review_proposal", _("可以评审合理化建议"))]
        constraints = [
            models.CheckConstraint(condition=Q(benefit__isnull=True) | Q(benefit__gte=0),
                                   name="competitions_proposal_benefit_not_negative"),
            models.CheckConstraint(condition=Q(award_amount__isnull=True) | Q(award_amount__gte=0),
                                   name="competitions_proposal_award_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "year"], name="competitions_prop_status_year")]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.ADOPTED and self.consent_public


def proposal_file_path(instance, filename):
    return f"competitions/proposals/{timezone.localdate():%Y/%m}/{instance.proposal_id}-{filename}"


class ProposalAttachment(Evidence):  # 建议附件
    proposal = models.ForeignKey(Proposal, verbose_name=_("建议"), on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=proposal_file_path)

    class Meta(Evidence.Meta):
        verbose_name = _("建议附件")
        verbose_name_plural = _("建议附件")


class ProposalChange(StatusChange):  # 建议状态变更
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(_("原状态"), max_length=20, choices=Proposal.Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Proposal.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("建议状态变更")
        verbose_name_plural = _("建议状态变更")
