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
