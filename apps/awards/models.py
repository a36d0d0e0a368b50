from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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
