from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.masking import mask_phone


class SmsMessage(models.Model):  # 短信发送记录
    """The outbox: a row per SMS, written in the sender's transaction and sent after commit.

    A sender claims the row (status "sending", `claimed_at`) in a short transaction of its own
    and calls the provider with no lock held; a claim older than SMS_CLAIM_TIMEOUT is taken
    again by the sweep. After SMS_RETENTION_DAYS the text is cleared and the phone masked
    (`purged_at`); who, when, purpose and status stay."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    phone = models.CharField(_("手机号码"), max_length=11, db_index=True)
    text = models.TextField(_("内容"))
    purpose = models.CharField(_("用途"), max_length=30)
    sensitive = models.BooleanField(_("含验证码"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("取件时间"), null=True, blank=True)
    purged_at = models.DateTimeField(_("内容清除时间"), null=True, blank=True)
    next_retry_at = models.DateTimeField(_("下次重试"), null=True, blank=True)
    # One SMS per decision: "rights.rightscase:12:accepted". A second save of the same decision
    # finds the key taken and sends nothing (the database refuses a second row).
    dedupe_key = models.CharField(_("去重键"), max_length=150, blank=True)
    template_key = models.CharField(_("短信模板"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("短信")
        verbose_name_plural = _("短信")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="notify_sms_status_idx")]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], condition=~Q(dedupe_key=""), name="notify_sms_dedupe_unique"),
        ]
        permissions = [("retry_smsmessage", _("可以立即重试发送短信"))]

    def __str__(self):
        return f"{mask_phone(self.phone)} {self.get_status_display()}"


class Notification(models.Model):  # 站内消息
    member = models.ForeignKey(
        "members.Member", verbose_name=_("会员"), on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["member", "-created_at"], name="notify_member_created_idx")]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], condition=~Q(dedupe_key=""),
                                    name="notify_notification_dedupe_unique"),
        ]

    def __str__(self):
        return self.title


class StaffNotice(models.Model):  # 工作提醒
    """A message to a staff login (a department officer, a union officer, a supervisor): shown
    in the admin until read. E-mail digests and SMS alerts go beside it where the sender says."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="staff_notices"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    urgent = models.BooleanField(_("紧急"), default=False)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("工作提醒")
        verbose_name_plural = _("工作提醒")
        ordering = ["read_at", "-urgent", "-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notify_staffnotice_unread_idx")]

    def __str__(self):
        return self.title


class SmsTemplate(models.Model):  # 短信模板
    """The text of one kind of SMS, editable by staff. `{name}` marks a placeholder; only the
    placeholders the code fills for this key (`placeholders`, set from the code's defaults) may
    be used, checked on save, so a template can never ask for a value the sender does not give
    (nor reach into an object: `{member.phone}` is refused). Rows are created from the code's
    defaults on first use (apps.notify.texts)."""

    key = models.CharField(_("模板代码"), max_length=60, unique=True, editable=False)
    name = models.CharField(_("名称"), max_length=100)
    text = models.TextField(_("短信内容"), max_length=300)
    placeholders = models.CharField(_("可用占位符"), max_length=300, blank=True, editable=False,
                                    help_text=_("以逗号分隔，由程序设定"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("修改人"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+", editable=False)

    class Meta:
        verbose_name = _("短信模板")
        verbose_name_plural = _("短信模板")
        ordering = ["key"]

    def __str__(self):
        return f"{self.name}（{self.key}）"

    @property
    def allowed(self) -> list[str]:
        return [name for name in self.placeholders.split(",") if name]

    def clean(self):
        from .texts import template_check

        problem = template_check(self.text, self.allowed)
        if problem:
            raise ValidationError({"text": problem})
