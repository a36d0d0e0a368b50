"""Pluggable SMS backends, chosen by settings.SMS_BACKEND (a dotted class path).

- ConsoleBackend (development only) logs that an SMS left, with the phone masked, ID numbers
  and codes blanked, and no text at all for a sensitive message (a sign-in code).
- LocMemBackend keeps messages in `outbox`, as Django's locmem mail backend does for tests.
- FileBackend (tests across processes: `make cluster`) appends one JSON line per message to
  SMS_FILE_PATH, where a test run in another process reads the code it must type.
- A real provider: subclass BaseSmsBackend, implement `send(phone, text, *, sensitive=False)`
  with the provider's client (raise SmsSendError on refusal so the task retries), and point
  SMS_BACKEND at it. With DEBUG off the development backends stop the site from starting
  (system check notify.E001).
"""

import json
import logging
import os
import re
import time
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


class FileBackend(BaseSmsBackend):
    """One JSON line per SMS in SMS_FILE_PATH (mode 0600). When SMS_FILE_PATH + ".delay" holds
    a number of seconds, it waits that long first: a fault test kills a worker while a message
    is "at the provider"."""

    development = True

    def send(self, phone: str, text: str, *, sensitive: bool = False) -> None:
        path = settings.SMS_FILE_PATH
        if not path:
            raise SmsSendError("SMS_FILE_PATH is not set")
        try:
            with open(f"{path}.delay") as handle:
                time.sleep(float(handle.read().strip() or 0))
        except FileNotFoundError:
            pass
        line = json.dumps({"phone": phone, "text": text, "sensitive": sensitive, "pid": os.getpid()},
                          ensure_ascii=False) + "\n"
        handle = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(handle, line.encode("utf-8"))
        finally:
            os.close(handle)


def get_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
