"""Encryption at rest of session notes (Fernet, key from COUNSELLING_NOTES_KEY).

A database dump alone reveals no note: the column holds Fernet tokens. The key lives only in
the environment; `counselling.E001` refuses a production start without a valid one.
"""

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models

_PREFIX = "fernet:"


def _fernet() -> Fernet:
    key = getattr(settings, "COUNSELLING_NOTES_KEY", "")
    if not key:
        raise RuntimeError("COUNSELLING_NOTES_KEY is not set: session notes cannot be read or written")
    return Fernet(key.encode() if isinstance(key, str) else key)


def encrypt(text: str) -> str:
    if not text:
        return ""
    return _PREFIX + _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    if not token.startswith(_PREFIX):
        raise ValueError("a counselling note column holds something that is not a Fernet token")
    try:
        return _fernet().decrypt(token[len(_PREFIX):].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("a counselling note cannot be decrypted with COUNSELLING_NOTES_KEY") from exc


class EncryptedTextField(models.TextField):
    """Text encrypted with Fernet before it reaches the database; Python sees plain text.

    Not searchable, not orderable in a meaningful way: on purpose.
    """

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return encrypt(value)
