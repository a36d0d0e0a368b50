"""Public notices (公示): what the apps put before the public for a number of working days
before a decision becomes final (aid approvals, award shortlists, star results, maker-space
admissions), and the objections anyone may raise against them.

A notice never holds an ID number or a phone: each app gives the display name already masked.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class NoticeKind(models.TextChoices):
    AID = "aid", _("困难帮扶")
    AWARD = "award", _("评选表彰")
    STAR = "star", _("星级工会")
    INNOVATION = "innovation", _("职工众创空间")
    OTHER = "other", _("其他")


class NoticeStatus(models.TextChoices):
    OPEN = "open", _("公示中")
    CLOSED = "closed", _("公示结束")
    WITHDRAWN = "withdrawn", _("已撤销")


class PublicNotice(models.Model):  # 公示
    kind = models.CharField(_("类别"), max_length=20, choices=NoticeKind.choices)
    source = models.CharField(
        _("来源"), max_length=120, help_text=_("发布它的业务记录，例如 aid.campaign:12"), db_index=True
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("说明"), blank=True)
    workdays = models.PositiveSmallIntegerField(_("公示期（工作日）"))
    starts_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示截止"))
    status = models.CharField(_("状态"), max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.OPEN)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    withdrawn_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="notices_notice_ends_not_before_start",
                violation_error_message=_("公示截止日期不能早于开始日期。"),
            ),
            models.CheckConstraint(condition=Q(workdays__gte=1), name="notices_notice_workdays_positive"),
        ]
        indexes = [models.Index(fields=["status", "-starts_on"], name="notices_status_start_idx")]

    def __str__(self):
        return self.title

    def is_running(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == NoticeStatus.OPEN and today <= self.ends_on


class NoticeItem(models.Model):  # 公示对象
    notice = models.ForeignKey(PublicNotice, verbose_name=_("公示"), on_delete=models.CASCADE, related_name="items")
    ref = models.CharField(_("业务记录"), max_length=120, db_index=True, help_text=_("例如 aid.application:42"))
    display_name = models.CharField(_("公示名称"), max_length=100, help_text=_("个人姓名须已遮蔽，如 张*红"))
    organisation = models.CharField(_("单位/工会"), max_length=200, blank=True)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("公示对象")
        verbose_name_plural = _("公示对象")
        ordering = ["notice", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["notice", "ref"], name="notices_item_notice_ref_unique")]

    def __str__(self):
        return self.display_name


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复")


class Objection(models.Model):  # 异议
    notice = models.ForeignKey(PublicNotice, verbose_name=_("公示"), on_delete=models.PROTECT, related_name="objections")
    item = models.ForeignKey(
        NoticeItem, verbose_name=_("针对对象"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="objections", help_text=_("为空表示针对整个公示"),
    )
    content = models.TextField(_("异议内容"))
    contact = models.CharField(_("联系方式"), max_length=100)
    submitted_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    status = models.CharField(_("状态"), max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("答复人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    upheld = models.BooleanField(_("异议成立"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["status", "-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="notices_objection_answered_has_answer",
            ),
        ]
        indexes = [models.Index(fields=["notice", "status"], name="notices_objection_open_idx")]

    def __str__(self):
        return f"{self.notice} · {self.get_status_display()}"
