from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.workdays"
    verbose_name = _("工作日历")

    def ready(self):
        from . import checks  # noqa: F401
