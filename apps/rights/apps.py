from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.rights"
    verbose_name = _("社会化维权")
