from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.fields import CodeField, DocumentNumberField, MobilePhoneField
from apps.core.masking import mask_document_number, mask_name, mask_phone
from apps.core.validators import (
    id_birth_date,
    normalise_document_number,
    normalise_phone,
    validate_hmt_permit,
    validate_mobile_phone,
    validate_passport,
    validate_resident_id,
)
from apps.orgs.models import Employer, GrassrootsUnion, TownStreet


class DocumentType(models.TextChoices):
    RESIDENT_ID = "id_card", _("居民身份证")
    HMT_PERMIT = "hmt_permit", _("港澳台居民居住证")
    PASSPORT = "passport", _("护照")
    FOREIGN_PR = "foreign_pr", _("外国人永久居留身份证")


DOCUMENT_VALIDATORS = {
    DocumentType.RESIDENT_ID: validate_resident_id,
    DocumentType.HMT_PERMIT: validate_hmt_permit,
    DocumentType.PASSPORT: validate_passport,
    DocumentType.FOREIGN_PR: validate_passport,
}


def document_validate(document_type: str, number: str) -> str:
    """Validate a document number for its type and return it normalised (raises ValidationError)."""
    validator = DOCUMENT_VALIDATORS.get(document_type)
    if validator is None:
        raise ValidationError(_("请选择证件类型。"), code="document_type")
    validator(number)
    return normalise_document_number(number)


def member_photo_path(instance, filename):
    return f"private/members/photos/{filename}"


class Member(models.Model):  # 职工会员
    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    class Status(models.TextChoices):
        ACTIVE = "active", _("在册")
        TRANSFERRED = "transferred", _("已转出")
        WITHDRAWN = "withdrawn", _("已退会")

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    document_type = models.CharField(
        _("证件类型"), max_length=20, choices=DocumentType.choices, default=DocumentType.RESIDENT_ID
    )
    document_number = DocumentNumberField(_("证件号码"), max_length=20)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    phone = MobilePhoneField(_("手机号码"), max_length=11, blank=True, validators=[validate_mobile_phone])
    phone_verified_at = models.DateTimeField(_("手机验证时间"), null=True, blank=True)
    photo = models.ImageField(_("照片"), upload_to=member_photo_path, blank=True)
    photo_thumbnail = models.ImageField(_("照片缩略图"), upload_to=member_photo_path, blank=True)
    union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="members"
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("工作单位"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="members",
    )
    town_street = models.ForeignKey(
        TownStreet, verbose_name=_("所在镇街"), on_delete=models.PROTECT, related_name="members"
    )
    job = models.CharField(_("岗位"), max_length=50, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    membership_number = CodeField(_("会员号"), max_length=20, unique=True, null=True, blank=True)
    joined_on = models.DateField(_("入会日期"), null=True, blank=True)
    status = models.CharField(_("会籍状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    card_serial = models.PositiveIntegerField(
        _("会员证版本"), default=1, help_text=_("补发会员证时加一，旧二维码随之失效")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("登录账号"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="member",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["photo_thumbnail"])

    class Meta:
        verbose_name = _("会员")
        verbose_name_plural = _("会员")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "document_number"], name="members_document_unique"
            ),
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="members_phone_unique"),
        ]
        indexes = [
            # name search is a prefix match (name__startswith): needs the pattern opclass
            models.Index(fields=["name"], name="members_name_prefix_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["union", "status"], name="members_union_status_idx"),
            models.Index(fields=["town_street", "status"], name="members_town_status_idx"),
            # The admin list's filters, newest first without sorting the whole union or town.
            models.Index(fields=["union", "-id"], name="members_union_recent_idx"),
            models.Index(fields=["town_street", "status", "-id"], name="members_town_recent_idx"),
        ]
        permissions = [("view_full_document", _("可查看完整证件号码和手机号"))]

    def __str__(self):
        return f"{self.name}（{self.masked_document}）"

    def clean(self):
        errors = {}
        if self.document_number:
            try:
                self.document_number = document_validate(self.document_type, self.document_number)
            except ValidationError as exc:
                errors["document_number"] = exc.messages
        if self.phone:
            self.phone = normalise_phone(self.phone)
        if self.employer_id and self.union_id and self.employer.union_id and self.employer.union_id != self.union_id:
            errors["union"] = [_("所属工会与工作单位的工会不一致。")]
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.document_number = normalise_document_number(self.document_number)
        if self.document_type in (DocumentType.RESIDENT_ID, DocumentType.HMT_PERMIT) and not self.birth_date:
            self.birth_date = id_birth_date(self.document_number)
        super().save(*args, **kwargs)

    @property
    def masked_document(self) -> str:
        return mask_document_number(self.document_number)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_active_member(self) -> bool:
        return self.status == self.Status.ACTIVE and bool(self.membership_number)


class MemberTally(models.Model):
    """How many members there are for each town/street, status, year joined (0: not known)
    and whether they have a login. PostgreSQL keeps it in the same transaction as every write
    to the member table, whatever makes it (a form, an import, `bulk_create`, COPY, a plain
    UPDATE): the statement triggers of migration 0004 add the rows each statement inserted
    and take away the rows it deleted or changed. The dashboard sums these few thousand
    rows instead of counting a million members. Django never writes it."""

    town_street = models.ForeignKey(
        TownStreet, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Member.Status.choices)
    joined_year = models.IntegerField()
    with_login = models.BooleanField()
    n = models.BigIntegerField()

    class Meta:
        verbose_name = _("会员人数统计")
        verbose_name_plural = _("会员人数统计")
        constraints = [
            models.UniqueConstraint(
                fields=["town_street", "status", "joined_year", "with_login"], name="members_tally_key"
            ),
        ]
