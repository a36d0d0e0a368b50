from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.orgs"
    verbose_name = _("组织")

    def ready(self):
        import importlib

        from django.db.models.signals import post_migrate

        reference = importlib.import_module("apps.orgs.migrations.0002_town_streets")
        post_migrate.connect(reference.town_streets_ensure, sender=self, dispatch_uid="orgs_town_streets")

        from apps.core.cache import public_data_tracks

        from .models import Employer, GrassrootsUnion, TownStreet

        # Honour rolls and star ratings show union, employer and town names.
        public_data_tracks("orgs", Employer, GrassrootsUnion, TownStreet)
