from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.innovation"
    verbose_name = _("职工众创空间")

    def ready(self):
        from apps.core.cache import public_data_tracks

        from .models import Application, Industry, Residency, Studio, StudioRecognition

        public_data_tracks("innovation", Application, Residency, Studio, StudioRecognition, Industry)
