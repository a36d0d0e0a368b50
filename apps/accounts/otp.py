"""One-time phone codes: the only way the portal trusts that a person holds a phone.

Codes are 6 digits, stored as a keyed hash, valid PHONE_CODE_TTL_SECONDS, checked at most
PHONE_CODE_MAX_TRIES times; sends are limited per phone (one a minute, ten a day, counted on
the Asia/Shanghai calendar) and per client address. The per-phone limits count the account
codes (sign-in, reset, claim) apart from the codes any stranger can ask for a phone (join,
status, rights), so a stranger never uses up the owner's sign-in. Every refusal is a CodeError
whose message is shown to the person as it is.
"""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ipware.ip import get_client_ip

from apps.notify.services import sms_queue
from apps.notify.texts import sms_template_register

SMS_CODE = sms_template_register(
    "accounts.code", name="短信验证码", text="您的{label}验证码为 {code}，{minutes} 分钟内有效。请勿告诉他人。",
    placeholders=["label", "code", "minutes"],
)

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


# Codes only the holder of an account asks for; every other purpose a stranger can trigger for
# any phone by typing it, so those are counted on their own.
ACCOUNT_PURPOSES = (PhoneCode.Purpose.LOGIN, PhoneCode.Purpose.PASSWORD_RESET, PhoneCode.Purpose.CLAIM)


def _purpose_group(purpose: str) -> tuple[str, ...]:
    if purpose in ACCOUNT_PURPOSES:
        return ACCOUNT_PURPOSES
    return tuple(p for p in PhoneCode.Purpose.values if p not in ACCOUNT_PURPOSES)


def _send_lock(*keys: str) -> None:
    """Serialise the sends of one phone (and of one address) until the transaction ends, so
    parallel requests see each other's codes. Keys are locked in the order given."""
    if connection.vendor != "postgresql":
        return  # SQLite (development) writes one transaction at a time anyway
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"phone_code_send:{key}"])


def phone_code_send(*, phone: str, purpose: str, client_ip: str | None, deliver: bool = True) -> PhoneCode:
    """Send a fresh code to `phone` for `purpose`, after checking the send limits.

    Earlier unused codes of the same phone and purpose stop working. With deliver=False the
    limits are counted and a code row written but no SMS leaves (used where the caller must
    not reveal whether a phone is registered).
    The limits per phone count only the same group of purposes (account codes apart from codes
    a stranger can trigger); account codes are counted per phone and client address, under a
    hard cap per phone of PHONE_CODE_DAILY_CAP_PER_PHONE. Parallel sends for one phone or one address wait for each other
    (an advisory lock held to the end of the transaction), so they never pass a limit.
    Raises CodeSentTooRecently, CodeDailyLimit or CodeAddressLimit.
    """
    with transaction.atomic():
        _send_lock(f"phone:{phone}", *([f"ip:{client_ip}"] if client_ip else []))
        now = timezone.now()
        recent = PhoneCode.objects.filter(phone=phone, purpose__in=_purpose_group(purpose))
        today = recent.filter(created_at__gte=_local_midnight(now))
        account = purpose in ACCOUNT_PURPOSES
        if account and client_ip:
            # A stranger elsewhere asking sign-in codes for this phone uses up only their own
            # address's share; the hard cap below still bounds the texts the phone receives.
            if today.count() >= settings.PHONE_CODE_DAILY_CAP_PER_PHONE:
                raise CodeDailyLimit()
            recent = recent.filter(client_ip=client_ip)
            today = today.filter(client_ip=client_ip)
        last = recent.order_by("-created_at").values_list("created_at", flat=True).first()
        if last and (now - last).total_seconds() < settings.PHONE_CODE_RESEND_SECONDS:
            raise CodeSentTooRecently()
        if today.count() >= settings.PHONE_CODE_DAILY_LIMIT_PER_PHONE:
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
                phone=phone, template=SMS_CODE, values={"label": label, "code": code, "minutes": minutes},
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
    """The client's address, the one helper behind every per-address limit and django-axes.

    Without a proxy (TRUSTED_PROXY_COUNT = 0) it is REMOTE_ADDR and X-Forwarded-For is ignored.
    Behind TRUSTED_PROXY_COUNT proxies that each append the address they saw to
    X-Forwarded-For (nginx's $proxy_add_x_forwarded_for), the header is read only when the
    request comes from a trusted proxy (REMOTE_ADDR in TRUSTED_PROXIES, or empty: a Unix
    socket), and the client is the entry the first proxy appended, so whatever the client
    wrote itself in front of it is skipped. django-ipware parses the header.
    """
    remote = request.META.get("REMOTE_ADDR") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0 or (remote and remote not in settings.TRUSTED_PROXIES):
        return remote or None
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        # ipware counts the proxies whose addresses the header holds: all but the nearest.
        proxy_count=count - 1,
        request_header_order=("HTTP_X_FORWARDED_FOR",),
        strict=False,
    )
    return address or remote or None


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


def session_phones_forget(sender, request, user, **kwargs) -> None:
    """On every sign-in (user_logged_in): drop the phones this browser verified before, so a
    session prepared by someone else carries no proof into the signed-in one."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)
