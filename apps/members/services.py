"""Everything that changes a Member: registration, numbers, claim, phone, photo, card."""

import base64
import datetime
import hashlib
import json
import time
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from apps.accounts.errors import ClaimRefused
from apps.core.masking import mask_phone
from apps.core.models import sequence_next, sequence_next_block
from apps.core.uploads import photo_clean
from apps.core.validators import id_birth_date
from apps.notify.services import sms_queue
from apps.notify.texts import sms_template_register

SMS_PHONE_CHANGED = sms_template_register(
    "members.phone_changed", name="手机号已变更（发往原号码）",
    text="您在义乌工会平台的手机号已变更为 {new}。如非本人操作，请联系所在工会。", placeholders=["new"],
)

from .errors import PhoneTaken
from .models import DocumentType, Member

CARD_SALT = "members.card"


def membership_number_issue(*, member: Member) -> str:
    """Give `member` a membership number (YW + year + 6 digits) if it has none.

    Numbers are gapless per year; the caller must be inside transaction.atomic().
    """
    if member.membership_number:
        return member.membership_number
    year = timezone.localdate().year
    value = sequence_next(key="membership_number", year=year)
    member.membership_number = f"YW{year}{value:06d}"
    member.save(update_fields=["membership_number", "updated_at"])
    return member.membership_number


def member_admit(*, member: Member) -> Member:
    """Save a new, validated member (joined today unless a date is given) and issue their
    membership number. The caller must be inside transaction.atomic()."""
    member.joined_on = member.joined_on or timezone.localdate()
    member.save()
    membership_number_issue(member=member)
    return member


def member_register(*, by=None, **fields) -> Member:
    """Create an active member from fields, validating them, and issue their membership number."""
    with transaction.atomic():
        member = Member(**fields)
        member.full_clean(exclude=["membership_number", "user"])
        return member_admit(member=member)


def member_claim(*, document_type: str, document_number: str, phone: str) -> Member:
    """Find the unclaimed member whose document AND phone on file both match (ClaimRefused otherwise)."""
    member = (
        Member.objects.select_related("union")
        .filter(document_type=document_type, document_number=document_number, phone=phone, user__isnull=True)
        .exclude(status=Member.Status.WITHDRAWN)
        .first()
    )
    if member is None:
        raise ClaimRefused()
    return member


def member_account_activate(*, member: Member) -> User:
    """Create and link the login of a member whose phone was just verified by a code."""
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.user_id:
            raise ClaimRefused()
        user = User.objects.create_user(username=f"m{member.pk}", first_name=member.name[:150])
        user.set_unusable_password()
        user.save(update_fields=["password"])
        member.user = user
        member.phone_verified_at = timezone.now()
        member.save(update_fields=["user", "phone_verified_at", "updated_at"])
    return user


def member_phone_change(*, member: Member, phone: str) -> Member:
    """Switch the member's phone to one they just verified; the old number is told."""
    old = member.phone
    if old == phone:
        return member
    try:
        with transaction.atomic():
            if Member.objects.filter(phone=phone).exclude(pk=member.pk).exists():
                raise PhoneTaken()
            member.phone = phone
            member.phone_verified_at = timezone.now()
            member.save(update_fields=["phone", "phone_verified_at", "updated_at"])
            if old:
                sms_queue(
                    phone=old, template=SMS_PHONE_CHANGED, values={"new": mask_phone(phone)},
                    purpose="phone_changed",
                )
    except IntegrityError as exc:
        raise PhoneTaken() from exc
    return member


def member_photo_set(*, member: Member, upload) -> Member:
    """Validate `upload` by content (raises ValidationError), re-encode it and store it."""
    clean = photo_clean(upload)
    old = (member.photo.name, member.photo_thumbnail.name)
    member.photo.save(clean.image.name, clean.image, save=False)
    member.photo_thumbnail.save(clean.thumbnail.name, clean.thumbnail, save=False)
    member.save(update_fields=["photo", "photo_thumbnail", "updated_at"])
    for name in old:
        if name:
            transaction.on_commit(lambda name=name: member.photo.storage.delete(name))
    return member


def member_card_reissue(*, members: QuerySet, by) -> int:
    """Reissue the card of each member in `members` (补发会员证): card_serial + 1.

    Every QR code printed from the old card then verifies as revoked. Each member is saved on
    its own (row locked, update_fields) so the change shows in its history with who did it.
    Returns how many cards were reissued.
    """
    count = 0
    pks = list(members.values_list("pk", flat=True))
    with transaction.atomic():
        for member in Member.objects.filter(pk__in=pks).select_for_update().order_by("pk"):
            member.card_serial += 1
            member._history_user = by
            member.save(update_fields=["card_serial", "updated_at"])
            count += 1
    return count


def _card_cipher() -> Fernet:
    # A key of its own, derived from SECRET_KEY: rotating SECRET_KEY retires every QR code.
    digest = hashlib.sha256(f"{CARD_SALT}:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def member_card_token(member: Member) -> str:
    """An opaque, dated token for the member card's QR code: the member's id and card serial,
    encrypted and authenticated (Fernet), so nothing in it can be read or changed; each call
    gives a different token."""
    payload = json.dumps({"m": member.pk, "s": member.card_serial}, separators=(",", ":")).encode()
    return _card_cipher().encrypt(payload).decode().rstrip("=")


@dataclass
class CardCheck:
    outcome: str  # "valid", "inactive", "expired", "forged", "revoked"
    member: Member | None = None
    issued_at: datetime.datetime | None = None


def member_card_verify(token: str) -> CardCheck:
    """What the verification page may say of a QR token: never more than the masked card."""
    cipher = _card_cipher()
    raw = (token or "").encode("ascii", "ignore")
    raw += b"=" * (-len(raw) % 4)
    try:
        payload = json.loads(cipher.decrypt(raw))
        issued = cipher.extract_timestamp(raw)
    except (InvalidToken, ValueError, TypeError):
        return CardCheck("forged")
    if not isinstance(payload, dict) or not isinstance(payload.get("m"), int):
        return CardCheck("forged")
    if time.time() - issued > settings.MEMBER_CARD_TOKEN_DAYS * 86400:
        return CardCheck("expired")
    member = (
        Member.objects.select_related("union", "town_street").filter(pk=payload["m"]).first()
    )
    if member is None:
        return CardCheck("forged")
    if member.card_serial != payload.get("s"):
        return CardCheck("revoked", member)
    if not member.is_active_member:
        return CardCheck("inactive", member)
    return CardCheck("valid", member)


IMPORT_BATCH = 500
IMPORT_UPDATE_FIELDS = ["name", "gender", "document_type", "document_number", "phone", "union", "employer",
                        "town_street", "job", "joined_on", "birth_date", "updated_at"]


def members_import(*, new: list[Member], changed: list[Member], by, on_batch=None) -> tuple[int, int]:
    """Write validated members in bulk (the staff import): `new` are admitted as `member_admit`
    does (joined today unless a date is given, birth date from the ID, gapless membership
    numbers, reserved as one block), `changed` are updated; history rows name `by`.

    The caller must be inside transaction.atomic() and have checked every row (document and
    phone unique): the database constraints refuse a clash with IntegrityError.
    `on_batch(n)` is called after each batch of `n` rows is written (a progress bar).
    Returns (created, updated).
    """
    today = timezone.localdate()
    now = timezone.now()
    for member in new + changed:
        member.document_number = member.document_number.upper()
        if member.document_type in (DocumentType.RESIDENT_ID, DocumentType.HMT_PERMIT) and not member.birth_date:
            member.birth_date = id_birth_date(member.document_number)
        member.updated_at = now
    if new:
        year = today.year
        first = sequence_next_block(key="membership_number", year=year, count=len(new))
        for offset, member in enumerate(new):
            member.joined_on = member.joined_on or today
            member.created_at = now
            member.membership_number = f"YW{year}{first + offset:06d}"
        for start in range(0, len(new), IMPORT_BATCH):
            batch = new[start:start + IMPORT_BATCH]
            bulk_create_with_history(batch, Member, batch_size=IMPORT_BATCH, default_user=by)
            if on_batch:
                on_batch(len(batch))
    for start in range(0, len(changed), IMPORT_BATCH):
        batch = changed[start:start + IMPORT_BATCH]
        bulk_update_with_history(batch, Member, IMPORT_UPDATE_FIELDS, batch_size=IMPORT_BATCH, default_user=by)
        if on_batch:
            on_batch(len(batch))
    return len(new), len(changed)
