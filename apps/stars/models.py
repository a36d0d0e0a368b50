from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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
