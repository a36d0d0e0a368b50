from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounsellingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.counselling"
    verbose_name = _("心灵港湾工作室")

    def ready(self):
        from apps.core.cache import public_data_tracks

        from . import checks  # noqa: F401  (registers counselling.E001)
        from .models import Booking, Counsellor, OpeningHours, Slot, Studio

        public_data_tracks("counselling", Studio, OpeningHours, Counsellor, Slot, Booking)
