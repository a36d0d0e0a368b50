"""counselling.E001: a production server refuses to start without the notes key."""

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, register


@register(deploy=True)
def notes_key_check(app_configs=None, **kwargs):
    key = getattr(settings, "COUNSELLING_NOTES_KEY", "")
    if not key:
        if settings.DEBUG:
            return []
        return [Error(
            "COUNSELLING_NOTES_KEY is not set: counselling session notes cannot be encrypted.",
            hint="Generate one with: python -c 'from cryptography.fernet import Fernet; "
                 "print(Fernet.generate_key().decode())' and keep it outside the database backups.",
            id="counselling.E001",
        )]
    try:
        Fernet(key.encode() if isinstance(key, str) else key)
    except ValueError:
        return [Error("COUNSELLING_NOTES_KEY is not a valid Fernet key (32 url-safe base64 bytes).",
                      id="counselling.E002")]
    return []
