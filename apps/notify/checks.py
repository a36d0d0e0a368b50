"""System checks of the SMS settings."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string

from .sms import BaseSmsBackend


@register(deploy=True)
def sms_backend_is_real(app_configs, **kwargs):
    """With DEBUG off (and outside the test suite), a development SMS backend would print
    codes into the log or drop every message: refuse to start (notify.E001)."""
    if settings.DEBUG or getattr(settings, "TESTING", False):
        return []
    try:
        backend = import_string(settings.SMS_BACKEND)
    except ImportError:
        return [Error(
            f"SMS_BACKEND = {settings.SMS_BACKEND!r} 无法导入。",
            hint="把 SMS_BACKEND 设为短信服务商的后端类（apps.notify.sms.BaseSmsBackend 的子类）。",
            id="notify.E001",
        )]
    if getattr(backend, "development", False) or backend is BaseSmsBackend:
        return [Error(
            f"SMS_BACKEND = {settings.SMS_BACKEND!r} 是开发用的短信后端，生产环境不能使用。",
            hint="把 SMS_BACKEND 设为短信服务商的后端类（apps.notify.sms.BaseSmsBackend 的子类）。",
            id="notify.E001",
        )]
    return []


@register()
def sms_retention_is_sane(app_configs, **kwargs):
    if settings.SMS_RETENTION_DAYS < 1:
        return [Error(
            f"SMS_RETENTION_DAYS = {settings.SMS_RETENTION_DAYS}：短信内容至少保留 1 天。",
            id="notify.E002",
        )]
    return []
