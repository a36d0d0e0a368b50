import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwu_union.settings")
application = get_wsgi_application()


def _refuse_an_unsafe_production_start() -> None:
    """With DEBUG off, run the deployment checks once at start-up and refuse to serve on any
    error: a development SMS backend (notify.E001, it would print codes into the log or drop
    every message) or a missing or invalid counselling notes key (counselling.E001/E002)."""
    from django.conf import settings
    from django.core import checks
    from django.core.exceptions import ImproperlyConfigured

    if settings.DEBUG or getattr(settings, "TESTING", False):
        return
    errors = [m for m in checks.run_checks(include_deployment_checks=True) if m.level >= checks.ERROR]
    if errors:
        raise ImproperlyConfigured(
            "The deployment checks refuse this configuration:\n" + "\n".join(str(m) for m in errors)
        )


_refuse_an_unsafe_production_start()
