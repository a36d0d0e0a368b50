from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkqueuesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.workqueues"
    verbose_name = _("待办工作")
