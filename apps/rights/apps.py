from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.rights"
    verbose_name = _("社会化维权")

    def ready(self):
        import importlib

        from django.db.models.signals import post_migrate

        defaults = importlib.import_module("apps.rights.migrations.0002_default_time_limits")
        post_migrate.connect(defaults.time_limits_ensure, sender=self, dispatch_uid="rights_time_limits")
