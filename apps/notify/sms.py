"""Pluggable SMS backends, chosen by settings.SMS_BACKEND (a dotted class path).

- ConsoleBackend (development only) logs that an SMS left, with the phone masked, ID numbers
  and codes blanked, and no text at all for a sensitive message (a sign-in code).
- LocMemBackend keeps messages in `outbox`, as Django's locmem mail backend does for tests.
- A real provider: subclass BaseSmsBackend, implement `send(phone, text, *, sensitive=False)`
  with the provider's client (raise SmsSendError on refusal so the task retries), and point
  SMS_BACKEND at it. With DEBUG off the development backends stop the site from starting
  (system check notify.E001).
"""

import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from apps.core.masking import mask_document_number, mask_phone

logger = logging.getLogger("apps.notify.sms")

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")  # the length of a sign-in code


class SmsSendError(Exception):
    """The provider did not accept the message; the sender retries later."""


@dataclass
class SentSms:
    phone: str
    text: str


outbox: list[SentSms] = []


class BaseSmsBackend:
    development = False  # True: never for production (system check notify.E001)

    def send(self, phone: str, text: str, *, sensitive: bool = False) -> None:
        raise NotImplementedError("an SMS backend sends the message or raises SmsSendError")


def console_text(text: str, *, sensitive: bool) -> str:
    """What the console backend may write of a message: never a sensitive text, never a
    full ID number, never a run of digits that could be a code."""
    if sensitive:
        return "（含验证码的短信，内容不记录）"
    text = _ID_NUMBER.sub(lambda m: mask_document_number(m.group(1)), text)
    return _CODE.sub(lambda m: "*" * len(m.group()), text)


class ConsoleBackend(BaseSmsBackend):
    development = True

    def send(self, phone: str, text: str, *, sensitive: bool = False) -> None:
        logger.warning("SMS to %s: %s", mask_phone(phone), console_text(text, sensitive=sensitive))


class LocMemBackend(BaseSmsBackend):
    development = True

    def send(self, phone: str, text: str, *, sensitive: bool = False) -> None:
        outbox.append(SentSms(phone=phone, text=text))


def get_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
