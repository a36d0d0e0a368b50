from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "apps.notices"
    verbose_name = _("公示公告")

    def ready(self):
        from apps.core.cache import public_data_tracks

        from .models import NoticeItem, Objection, PublicNotice

        public_data_tracks("notices", PublicNotice, NoticeItem, Objection)
