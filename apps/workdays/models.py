from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CalendarDay(models.Model):  # 工作日历调整
    """A day whose status staff set by hand: a holiday or make-up working day the library
    does not know yet (the next year's schedule is published each November), or a correction."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_workday else '休息'}"


class CalendarYear(models.Model):  # 全年工作日历
    """Staff's word that a year's official holidays and make-up days (国务院办公厅 notice) are
    entered in full as CalendarDay rows: from then the year counts as known, deadlines in it
    stop being provisional and every stored open deadline is recomputed."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.CharField(_("依据"), max_length=200, help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知"))
    confirmed_by = models.ForeignKey(
        "auth.User", verbose_name=_("确认人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("全年工作日历确认")
        verbose_name_plural = _("全年工作日历确认")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}"


class DeadlineRecount(models.Model):  # 办理时限重算记录
    """What a calendar change did to stored deadlines: who changed the calendar, when, and how
    many open deadlines of each kind moved."""

    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        "auth.User", verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("原因"), max_length=200)
    moved = models.JSONField(_("调整数量"), default=dict)

    class Meta:
        verbose_name = _("办理时限重算记录")
        verbose_name_plural = _("办理时限重算记录")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.reason}"
