"""Pluggable SMS backends, chosen by settings.SMS_BACKEND (a dotted class path).

- ConsoleBackend (default) logs what would be sent, codes included, for local use.
- LocMemBackend keeps messages in `outbox`, as Django's locmem mail backend does for tests.
- A real provider: subclass BaseSmsBackend, implement `send(phone, text)` with the provider's
  client (raise SmsSendError on refusal so the task retries), and point SMS_BACKEND at it.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("apps.notify.sms")


class SmsSendError(Exception):
    """The provider did not accept the message; the sender retries later."""


@dataclass
class SentSms:
    phone: str
    text: str


outbox: list[SentSms] = []


class BaseSmsBackend:
    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError("an SMS backend sends the message or raises SmsSendError")


class ConsoleBackend(BaseSmsBackend):
    def send(self, phone: str, text: str) -> None:
        logger.warning("SMS to %s: %s", phone, text)
        print(f"[SMS] {phone}: {text}", flush=True)


class LocMemBackend(BaseSmsBackend):
    def send(self, phone: str, text: str) -> None:
        outbox.append(SentSms(phone=phone, text=text))


def get_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
