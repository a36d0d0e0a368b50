from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.aid"
    label = "aid"
    verbose_name = _("困难职工帮扶")
