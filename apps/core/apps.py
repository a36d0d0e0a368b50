from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.core"
    verbose_name = _("门户")

    def ready(self):
        from django.db.models.signals import post_migrate
        from django.utils.module_loading import autodiscover_modules

        from .cache import every_page_changed

        post_migrate.connect(every_page_changed, dispatch_uid="core.public_pages_after_migrate")
        # Every app's timeline providers (apps/<app>/timeline.py) register themselves on import.
        autodiscover_modules("timeline")
