from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.innovation"
    verbose_name = _("职工众创空间")
