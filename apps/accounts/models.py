from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.masking import mask_phone


class PhoneCode(models.Model):  # 短信验证码
    """A one-time code sent to a phone; only its keyed hash is stored."""

    class Purpose(models.TextChoices):
        LOGIN = "login", _("短信登录")
        CLAIM = "claim", _("激活账号")
        PHONE_CHANGE = "phone_change", _("更换手机号")
        PASSWORD_RESET = "password_reset", _("重置密码")
        JOIN = "join", _("网上入会")
        RIGHTS = "rights", _("维权求助")
        STATUS = "status", _("进度查询")

    phone = models.CharField(_("手机号码"), max_length=11)
    purpose = models.CharField(_("用途"), max_length=20, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    client_ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    tries = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [
            models.Index(fields=["phone", "created_at"], name="accounts_code_phone_idx"),
            models.Index(fields=["client_ip", "created_at"], name="accounts_code_ip_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(tries__lte=5), name="accounts_code_tries_max")
        ]

    def __str__(self):
        return f"{mask_phone(self.phone)} {self.get_purpose_display()}"
