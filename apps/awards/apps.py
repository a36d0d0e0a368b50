from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.awards"
    verbose_name = _("荣誉")

    def ready(self):
        from apps.core.cache import public_data_tracks

        from .models import AwardProgramme, HonourEntry

        public_data_tracks("awards", AwardProgramme, HonourEntry)
