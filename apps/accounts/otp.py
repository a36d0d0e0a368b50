"""One-time phone codes: the only way the portal trusts that a person holds a phone.

Codes are 6 digits, stored as a keyed hash, valid PHONE_CODE_TTL_SECONDS, checked at most
PHONE_CODE_MAX_TRIES times; sends are limited per phone (one a minute, ten a day, counted on
the Asia/Shanghai calendar) and per client address. Every refusal is a CodeError whose
message is shown to the person as it is.
"""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.notify.services import sms_queue

from .errors import (
    CodeAddressLimit,
    CodeDailyLimit,
    CodeExpired,
    CodeMissing,
    CodeSentTooRecently,
    CodeTooManyTries,
    CodeWrong,
)
from .models import PhoneCode


def _hash(phone: str, purpose: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{phone}:{purpose}:{code}".encode(), hashlib.sha256).hexdigest()


def _local_midnight(now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def phone_code_send(*, phone: str, purpose: str, client_ip: str | None, deliver: bool = True) -> PhoneCode:
    """Send a fresh code to `phone` for `purpose`, after checking the send limits.

    Earlier unused codes of the same phone and purpose stop working. With deliver=False the
    limits are counted and a code row written but no SMS leaves (used where the caller must
    not reveal whether a phone is registered).
    Raises CodeSentTooRecently, CodeDailyLimit or CodeAddressLimit.
    """
    now = timezone.now()
    with transaction.atomic():
        recent = PhoneCode.objects.filter(phone=phone)
        last = recent.order_by("-created_at").values_list("created_at", flat=True).first()
        if last and (now - last).total_seconds() < settings.PHONE_CODE_RESEND_SECONDS:
            raise CodeSentTooRecently()
        if recent.filter(created_at__gte=_local_midnight(now)).count() >= settings.PHONE_CODE_DAILY_LIMIT_PER_PHONE:
            raise CodeDailyLimit()
        if client_ip:
            by_address = PhoneCode.objects.filter(client_ip=client_ip)
            hourly = by_address.filter(created_at__gte=now - datetime.timedelta(hours=1)).count()
            daily = by_address.filter(created_at__gte=_local_midnight(now)).count()
            if (hourly >= settings.PHONE_CODE_HOURLY_LIMIT_PER_ADDRESS
                    or daily >= settings.PHONE_CODE_DAILY_LIMIT_PER_ADDRESS):
                raise CodeAddressLimit()
        PhoneCode.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True).update(used_at=now)
        code = f"{secrets.randbelow(10**6):06d}"
        row = PhoneCode.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=_hash(phone, purpose, code),
            client_ip=client_ip or None,
            expires_at=now + datetime.timedelta(seconds=settings.PHONE_CODE_TTL_SECONDS),
        )
        if deliver:
            minutes = settings.PHONE_CODE_TTL_SECONDS // 60
            label = PhoneCode.Purpose(purpose).label
            sms_queue(
                phone=phone,
                text=_("您的%(label)s验证码为 %(code)s，%(minutes)d 分钟内有效。请勿告诉他人。")
                % {"label": label, "code": code, "minutes": minutes},
                purpose=f"code:{purpose}",
                sensitive=True,
            )
    return row


def phone_code_verify(*, phone: str, purpose: str, code: str) -> None:
    """Accept `code` for `phone` and `purpose` once, or raise a CodeError.

    A wrong code counts one try and the count is committed even though the caller sees an
    error; after PHONE_CODE_MAX_TRIES tries the code is refused even when it is right.
    """
    code = (code or "").strip()
    now = timezone.now()
    failure = None
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(phone=phone, purpose=purpose, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if row is None:
            raise CodeMissing()
        if row.tries >= settings.PHONE_CODE_MAX_TRIES:
            raise CodeTooManyTries()
        if row.expires_at <= now:
            raise CodeExpired()
        if hmac.compare_digest(row.code_hash, _hash(phone, purpose, code)):
            row.used_at = now
            row.save(update_fields=["used_at"])
            return
        row.tries += 1
        row.save(update_fields=["tries"])
        left = settings.PHONE_CODE_MAX_TRIES - row.tries
        failure = CodeWrong(
            _("验证码不正确，还可尝试 %(left)d 次。") % {"left": left} if left else CodeTooManyTries.message
        )
    raise failure


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, set by the proxy in front (nginx) in production."""
    return request.META.get("REMOTE_ADDR") or None


SESSION_KEY = "verified_phones"


def session_phone_mark(request, *, purpose: str, phone: str) -> None:
    """Remember in the session that this browser proved it holds `phone` for `purpose`."""
    verified = request.session.get(SESSION_KEY, {})
    verified[purpose] = {"phone": phone, "at": timezone.now().timestamp()}
    request.session[SESSION_KEY] = verified


def session_phone(request, *, purpose: str, max_age_seconds: int = 1800) -> str | None:
    """The phone this browser verified for `purpose` within max_age_seconds, else None."""
    entry = request.session.get(SESSION_KEY, {}).get(purpose)
    if not entry or timezone.now().timestamp() - entry["at"] > max_age_seconds:
        return None
    return entry["phone"]
