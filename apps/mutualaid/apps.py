from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MutualaidConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.mutualaid"
    verbose_name = _("职工医疗互助保障")
