from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.notify"
    verbose_name = _("通知")

    def ready(self):
        from . import checks  # noqa: F401
