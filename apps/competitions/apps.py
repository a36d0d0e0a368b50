from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.competitions"
    verbose_name = _("劳动和技能竞赛")

    def ready(self):
        from apps.core.cache import public_data_tracks

        from .models import Competition, Event, Proposal, Registration, Round, Score

        public_data_tracks("competitions", Competition, Event, Round, Registration, Score, Proposal)
