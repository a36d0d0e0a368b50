from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.aid"
    label = "aid"
    verbose_name = _("困难职工帮扶")

    def ready(self):
        from apps.core.cache import public_data_tracks

        from .models import AidType, AmountRow, Campaign, HealthProgramme

        public_data_tracks("aid", Campaign, AidType, AmountRow, HealthProgramme)

        from apps.membership.services import member_merge_hook

        from .merge import aid_merge_prepare

        member_merge_hook(aid_merge_prepare)
