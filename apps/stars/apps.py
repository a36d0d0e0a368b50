from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StarsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.stars"
    verbose_name = _("星级工会")

    def ready(self):
        from apps.core.cache import public_data_tracks

        from .models import Evaluation, StarRating

        public_data_tracks("stars", StarRating, Evaluation)
