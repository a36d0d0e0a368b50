from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import Evidence, StatusChange
from apps.orgs.models import Employer, GrassrootsUnion, TownStreet


class AwardKind(models.TextChoices):
    MOST_BEAUTIFUL_WORKER = "most_beautiful_worker", _("最美职工")
    WORKER_PIONEER = "worker_pioneer", _("工人先锋号")
    FIVE_STAR_UNION = "five_star_union", _("五星级示范工会")
    CRAFTSMAN = "craftsman", _("义乌工匠")


# The public path of each roll (/honours/<slug>/), one per kind.
ROLL_SLUGS = {
    "most-beautiful-workers": AwardKind.MOST_BEAUTIFUL_WORKER,
    "five-star-unions": AwardKind.FIVE_STAR_UNION,
    "worker-pioneers": AwardKind.WORKER_PIONEER,
    "craftsmen": AwardKind.CRAFTSMAN,
}
KIND_SLUGS = {kind: slug for slug, kind in ROLL_SLUGS.items()}


class AwardProgrammeManager(models.Manager):
    def get_by_natural_key(self, kind, year):
        return self.get(kind=kind, year=year)


class AwardProgramme(models.Model):  # 评选项目: one award, one year
    kind = models.CharField(_("荣誉类别"), max_length=30, choices=AwardKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    opens_on = models.DateField(_("推荐开始日期"), null=True, blank=True)
    closes_on = models.DateField(_("推荐截止日期"), null=True, blank=True)
    quota = models.PositiveIntegerField(_("名额"), null=True, blank=True, help_text=_("为空表示不限名额"))
    union_places = models.PositiveIntegerField(
        _("每个基层工会名额"), null=True, blank=True,
        help_text=_("未单独设定名额的基层工会可推荐的数量；为空表示不限"),
    )
    criteria = models.TextField(_("评选条件"), blank=True)
    required_documents = models.TextField(_("所需材料"), blank=True, help_text=_("每行一项；有所需材料时推荐须上传材料"))
    deeds_min_length = models.PositiveSmallIntegerField(_("事迹最少字数"), default=200)
    notice_workdays = models.PositiveSmallIntegerField(_("公示工作日数"), default=5)
    repeat_years = models.PositiveSmallIntegerField(
        _("重复获奖提示年限"), default=3, help_text=_("近几年内已获同一荣誉的被推荐对象会被标记")
    )
    is_published = models.BooleanField(
        _("已公布"), default=False, help_text=_("公布后，其中已公布的条目出现在公开荣誉榜上")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = AwardProgrammeManager()

    class Meta:
        verbose_name = _("评选项目")
        verbose_name_plural = _("评选项目")
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="awards_programme_kind_year_unique"),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(closes_on__isnull=True) | Q(closes_on__gte=F("opens_on")),
                name="awards_programme_closes_not_before_opens",
                violation_error_message=_("推荐截止日期不能早于开始日期。"),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1949) & Q(year__lte=2100), name="awards_programme_year_range",
                violation_error_message=_("年度不正确。"),
            ),
        ]
        indexes = [models.Index(fields=["kind", "is_published", "year"], name="awards_prog_kind_pub_year_idx")]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.kind, self.year)

    @property
    def slug(self) -> str:
        return KIND_SLUGS[self.kind]

    @property
    def for_members(self) -> bool:
        """Members are nominated (工匠, 最美职工); otherwise teams (工人先锋号)."""
        return self.kind in (AwardKind.CRAFTSMAN, AwardKind.MOST_BEAUTIFUL_WORKER)

    @property
    def runs_nominations(self) -> bool:
        """A programme with a nomination window produces its roll from decided nominations."""
        return self.opens_on is not None and self.closes_on is not None

    def window_open(self, today) -> bool:
        return self.runs_nominations and self.opens_on <= today <= self.closes_on

    def document_list(self) -> list[str]:
        return [line.strip() for line in self.required_documents.splitlines() if line.strip()]


def honour_photo_path(instance, filename):
    # Honour-roll photos are public, but still streamed by awards:photo (no route serves MEDIA).
    return f"public/honours/{filename}"


class HonourEntryManager(models.Manager):
    def get_by_natural_key(self, kind, year, name):
        return self.get(programme__kind=kind, programme__year=year, name=name)


class HonourEntry(models.Model):  # 荣誉榜条目: a person, a team or a union on a roll
    programme = models.ForeignKey(
        AwardProgramme, verbose_name=_("评选项目"), on_delete=models.PROTECT, related_name="entries"
    )
    name = models.CharField(_("名称/姓名"), max_length=100)
    employer = models.ForeignKey(
        Employer, verbose_name=_("工作单位"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="honours",
    )
    union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("基层工会"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="honours",
    )
    town_street = models.ForeignKey(
        TownStreet, verbose_name=_("所在镇街"), on_delete=models.PROTECT, related_name="honours"
    )
    deeds = models.TextField(_("事迹"), help_text=_("公开展示的事迹或表彰词，只写荣誉榜可公开的内容"))
    photo = models.ImageField(_("照片"), upload_to=honour_photo_path, blank=True, editable=False)
    photo_thumbnail = models.ImageField(_("照片缩略图"), upload_to=honour_photo_path, blank=True, editable=False)
    member = models.ForeignKey(
        "members.Member", verbose_name=_("会员"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="honours", editable=False,
    )
    is_published = models.BooleanField(_("已公布"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0, help_text=_("数字小的排在前面"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    history = HistoricalRecords(excluded_fields=["photo_thumbnail"])

    objects = HonourEntryManager()

    class Meta:
        verbose_name = _("荣誉榜条目")
        verbose_name_plural = _("荣誉榜条目")
        ordering = ["programme", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="awards_entry_programme_name_unique"),
        ]
        indexes = [
            # The public roll: published entries of a programme in display order.
            models.Index(fields=["programme", "is_published", "sort_order"], name="awards_entry_roll_idx"),
            models.Index(fields=["town_street", "programme"], name="awards_entry_town_idx"),
            models.Index(fields=["name"], name="awards_entry_name_idx"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return self.programme.natural_key() + (self.name,)

    natural_key.dependencies = ["awards.awardprogramme", "orgs.employer", "orgs.grassrootsunion"]

    @property
    def is_public(self) -> bool:
        return self.is_published and self.programme.is_published

    @property
    def organisation_name(self) -> str:
        """The employer or union shown under the name on the roll."""
        if self.employer_id:
            return self.employer.name
        if self.union_id and self.union.name != self.name:
            return self.union.name
        return ""


# --- The selection process: nominations, review, public notice, decision -----------------

MEMBER_KINDS = (AwardKind.CRAFTSMAN, AwardKind.MOST_BEAUTIFUL_WORKER)
TEAM_KINDS = (AwardKind.WORKER_PIONEER,)


class ProgrammeQuota(models.Model):  # 推荐名额: places of one union or one town/street in a programme
    programme = models.ForeignKey(AwardProgramme, verbose_name=_("评选项目"), on_delete=models.CASCADE,
                                  related_name="quotas")
    union = models.ForeignKey(GrassrootsUnion, verbose_name=_("基层工会"), on_delete=models.PROTECT,
                              null=True, blank=True, related_name="+")
    town_street = models.ForeignKey(TownStreet, verbose_name=_("镇街"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    places = models.PositiveIntegerField(_("名额"))

    class Meta:
        verbose_name = _("推荐名额")
        verbose_name_plural = _("推荐名额")
        constraints = [
            models.CheckConstraint(
                condition=(Q(union__isnull=False) & Q(town_street__isnull=True))
                | (Q(union__isnull=True) & Q(town_street__isnull=False)),
                name="awards_quota_union_xor_town",
                violation_error_message=_("名额须且只能指定一个基层工会或一个镇街。"),
            ),
            models.UniqueConstraint(fields=["programme", "union"], name="awards_quota_programme_union_unique"),
            models.UniqueConstraint(fields=["programme", "town_street"], name="awards_quota_programme_town_unique"),
        ]

    def __str__(self):
        return f"{self.union or self.town_street}：{self.places}"


class NominationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已推荐")
    SHORTLISTED = "shortlisted", _("已入围")
    REJECTED = "rejected", _("未入围")
    ON_NOTICE = "on_notice", _("公示中")
    AWARDED = "awarded", _("已授予")
    NOT_AWARDED = "not_awarded", _("未授予")
    WITHDRAWN = "withdrawn", _("已撤回")


class NominationChannel(models.TextChoices):
    UNION = "union", _("基层工会推荐")
    TOWN = "town", _("镇街总工会推荐")


def nomination_photo_path(instance, filename):
    return f"private/awards/nominations/{filename}"


def nomination_file_path(instance, filename):
    return f"private/awards/files/{filename}"


class Nomination(models.Model):  # 推荐对象: a member (工匠, 最美职工) or a team (工人先锋号)
    programme = models.ForeignKey(AwardProgramme, verbose_name=_("评选项目"), on_delete=models.PROTECT,
                                  related_name="nominations")
    status = models.CharField(_("状态"), max_length=20, choices=NominationStatus.choices,
                              default=NominationStatus.DRAFT)
    channel = models.CharField(_("推荐渠道"), max_length=10, choices=NominationChannel.choices,
                               default=NominationChannel.UNION)
    union = models.ForeignKey(GrassrootsUnion, verbose_name=_("推荐工会"), on_delete=models.PROTECT,
                              null=True, blank=True, related_name="award_nominations")
    town_street = models.ForeignKey(TownStreet, verbose_name=_("所在镇街"), on_delete=models.PROTECT,
                                    related_name="award_nominations")
    member = models.ForeignKey("members.Member", verbose_name=_("被推荐会员"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="award_nominations")
    team_name = models.CharField(_("集体名称"), max_length=100, blank=True)
    team_employer = models.ForeignKey(Employer, verbose_name=_("集体所在单位"), on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+")
    team_size = models.PositiveIntegerField(_("集体人数"), null=True, blank=True)
    team_leader = models.CharField(_("负责人"), max_length=50, blank=True)
    deeds = models.TextField(_("事迹"), blank=True)
    photo = models.ImageField(_("照片"), upload_to=nomination_photo_path, blank=True, editable=False)
    photo_thumbnail = models.ImageField(_("照片缩略图"), upload_to=nomination_photo_path, blank=True,
                                        editable=False)
    contact_phone = models.CharField(_("推荐人联系电话"), max_length=11, blank=True)
    nominated_by = models.ForeignKey("auth.User", verbose_name=_("推荐人"), on_delete=models.PROTECT,
                                     related_name="+")
    recently_awarded = models.BooleanField(_("近年已获同一荣誉"), default=False, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("推荐时间"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True, editable=False)
    decision_note = models.CharField(_("决定说明"), max_length=200, blank=True, editable=False)
    entry = models.OneToOneField(HonourEntry, verbose_name=_("荣誉榜条目"), on_delete=models.PROTECT,
                                 null=True, blank=True, editable=False, related_name="nomination")

    class Meta:
        verbose_name = _("推荐")
        verbose_name_plural = _("推荐")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("review_nomination", _("可评审推荐（入围、公示）")),
            ("decide_nomination", _("可决定授予荣誉")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False) | ~Q(team_name=""),
                name="awards_nomination_member_or_team",
                violation_error_message=_("请指定被推荐的会员或集体。"),
            ),
            # One live nomination of a member per programme.
            models.UniqueConstraint(
                fields=["programme", "member"], condition=Q(member__isnull=False) & ~Q(status="withdrawn"),
                name="awards_nomination_member_once",
                violation_error_message=_("该会员已被推荐参加本项目。"),
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "status"], name="awards_nom_prog_status_idx"),
            models.Index(fields=["union", "programme"], name="awards_nom_union_idx"),
        ]

    def __str__(self):
        return self.nominee_name

    @property
    def nominee_name(self) -> str:
        return self.member.name if self.member_id else self.team_name

    @property
    def ref(self) -> str:
        return f"awards.nomination:{self.pk}"


class NominationFile(Evidence):  # 推荐材料
    nomination = models.ForeignKey(Nomination, verbose_name=_("推荐"), on_delete=models.PROTECT,
                                   related_name="files")
    file = models.FileField(_("文件"), upload_to=nomination_file_path)

    class Meta(Evidence.Meta):
        verbose_name = _("推荐材料")
        verbose_name_plural = _("推荐材料")


class PanelScore(models.Model):  # 评审打分: one panel member's score and vote on a nomination
    nomination = models.ForeignKey(Nomination, verbose_name=_("推荐"), on_delete=models.CASCADE,
                                   related_name="scores")
    juror = models.CharField(_("评委"), max_length=50)
    score = models.DecimalField(_("评分"), max_digits=5, decimal_places=2)
    in_favour = models.BooleanField(_("赞成"), default=True)
    recorded_by = models.ForeignKey("auth.User", verbose_name=_("录入人"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+", editable=False)
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("评审打分")
        verbose_name_plural = _("评审打分")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "juror"], name="awards_score_one_per_juror"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="awards_score_range",
                                   violation_error_message=_("评分应在 0 到 100 之间。")),
        ]

    def __str__(self):
        return f"{self.juror}：{self.score}"


class NominationStatusChange(StatusChange):
    nomination = models.ForeignKey(Nomination, verbose_name=_("推荐"), on_delete=models.CASCADE,
                                   related_name="status_changes")
    from_status = models.CharField(_("原状态"), max_length=20, blank=True, choices=NominationStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=20, choices=NominationStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("推荐状态变更")
        verbose_name_plural = _("推荐状态变更")
