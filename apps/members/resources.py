"""Excel import and export of members (django-import-export), for the admin.

Import rules: every row is validated before anything is written and a file with any bad row
imports nothing (see apps.core.resources). A row whose document number is already on file is a
bad row unless it carries that member's 会员号, which makes it an update of that member.
New members get their membership number from `membership_number_issue`. An officer imports
only into, and updates only, their own union(s). Export masks document numbers and phones for
staff without `members.view_full_document`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, widgets

from apps.core.masking import mask_document_number, mask_phone
from apps.core.resources import GuardedModelResource
from apps.core.validators import (
    normalise_document_number,
    normalise_phone,
    normalize_digits,
    spreadsheet_cell_text,
    validate_mobile_phone,
)
from apps.orgs.models import Employer, GrassrootsUnion, TownStreet
from apps.orgs.selectors import officer_union_ids

from .access import member_queryset_for_staff
from .models import DocumentType, Member, document_validate
from .services import membership_number_issue

FULL_DOCUMENT_PERM = "members.view_full_document"


def _text(value) -> str:
    return spreadsheet_cell_text(value)


class ChoiceLabelWidget(widgets.Widget):
    """Reads a TextChoices field by its Chinese label (or its stored value); writes the label."""

    def __init__(self, choices, *, required_message, default=None):
        super().__init__()
        self.choices = choices
        self.required_message = required_message
        self.default = default

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            if self.default is not None:
                return self.default
            raise ValueError(self.required_message)
        for stored, label in self.choices.choices:
            if text in (str(label), stored):
                return stored
        raise ValueError(
            _("“%(value)s”不是有效选项，可填：%(options)s。")
            % {"value": text, "options": "、".join(str(label) for _v, label in self.choices.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices.choices).get(value, value or ""))


class DocumentNumberWidget(widgets.Widget):
    """Validates the number against the row's document type and returns it normalised."""

    def clean(self, value, row=None, **kwargs):
        number = normalise_document_number(_text(value))
        if not number:
            raise ValueError(_("请填写证件号码。"))
        type_text = _text((row or {}).get("证件类型"))
        document_type = DocumentType.RESIDENT_ID
        for stored, label in DocumentType.choices:
            if type_text in (str(label), stored):
                document_type = stored
        try:
            return document_validate(document_type, number)
        except ValidationError as exc:
            raise ValueError("；".join(exc.messages)) from exc


class PhoneWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        phone = normalise_phone(_text(value))
        if not phone:
            return ""
        try:
            validate_mobile_phone(phone)
        except ValidationError as exc:
            raise ValueError("；".join(exc.messages)) from exc
        return phone


class NamedObjectWidget(widgets.Widget):
    """A foreign key given by name: `lookup(text)` returns the object or None (cached per text)."""

    def __init__(self, lookup, *, missing_message, required_message=None):
        super().__init__()
        self.lookup = lookup
        self.missing_message = missing_message
        self.required_message = required_message
        self._cache = {}

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            if self.required_message:
                raise ValueError(self.required_message)
            return None
        if text not in self._cache:
            self._cache[text] = self.lookup(text)
        if self._cache[text] is None:
            raise ValueError(self.missing_message % {"name": text})
        return self._cache[text]

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else getattr(value, "name", str(value))


def _town_lookup(text: str):
    short = text.removesuffix("街道").removesuffix("镇")
    return TownStreet.objects.filter(Q(name=short) | Q(code=text.lower())).first()


class ExcelDateWidget(widgets.Widget):
    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        day = self._parse(value)
        if day > timezone.localdate():
            raise ValueError(_("入会日期不能晚于今天。"))
        return day

    def _parse(self, value) -> datetime.date:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        for fmt in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(_("日期“%(value)s”无法识别，请写成 2024-05-01 的形式。") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class MemberResource(GuardedModelResource):
    """Columns of the member spreadsheet, in the order staff fill them in."""

    membership_number = fields.Field(attribute="membership_number", column_name="会员号", readonly=True)
    name = fields.Field(attribute="name", column_name="姓名")
    gender = fields.Field(
        attribute="gender", column_name="性别",
        widget=ChoiceLabelWidget(Member.Gender, required_message=_("请填写性别（男或女）。")),
    )
    document_type = fields.Field(
        attribute="document_type", column_name="证件类型",
        widget=ChoiceLabelWidget(DocumentType, required_message="", default=DocumentType.RESIDENT_ID),
    )
    document_number = fields.Field(attribute="document_number", column_name="证件号码", widget=DocumentNumberWidget())
    phone = fields.Field(attribute="phone", column_name="手机号码", widget=PhoneWidget())
    union = fields.Field(attribute="union", column_name="所属工会")
    employer = fields.Field(attribute="employer", column_name="工作单位")
    town_street = fields.Field(attribute="town_street", column_name="所在镇街")
    job = fields.Field(attribute="job", column_name="岗位", widget=widgets.CharWidget(allow_blank=True))
    joined_on = fields.Field(attribute="joined_on", column_name="入会日期", widget=ExcelDateWidget())
    status = fields.Field(
        attribute="status", column_name="会籍状态", readonly=True,
        widget=ChoiceLabelWidget(Member.Status, required_message=""),
    )

    class Meta:
        model = Member
        fields = (
            "membership_number", "name", "gender", "document_type", "document_number", "phone",
            "union", "employer", "town_street", "job", "joined_on", "status",
        )
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True
        skip_diff = False
        store_instance = True

    def __init__(self, *, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        unions = GrassrootsUnion.objects.filter(is_active=True)
        employers = Employer.objects.all()
        scoped = officer_union_ids(user) if user is not None and not user.is_superuser else []
        if scoped:
            unions = unions.filter(pk__in=scoped)
            employers = employers.filter(union_id__in=scoped)
        self.fields["union"].widget = NamedObjectWidget(
            lambda text: unions.filter(name=text).first(),
            missing_message=_("找不到名为“%(name)s”的工会，或您无权向该工会导入会员。"),
            required_message=_("请填写所属工会。"),
        )
        self.fields["employer"].widget = NamedObjectWidget(
            lambda text: employers.filter(name=text).first(), missing_message=_("找不到名为“%(name)s”的工作单位。"),
        )
        self.fields["town_street"].widget = NamedObjectWidget(
            _town_lookup,
            missing_message=_("找不到镇街“%(name)s”，请填写如“稠城”或“佛堂镇”。"),
        )

    def get_user_visible_fields(self):
        # 会籍状态 is exported but never imported: the import page does not list it.
        return [f for f in super().get_user_visible_fields() if f.attribute != "status"]

    def required_columns(self):
        return ["姓名", "性别", "证件号码", "所属工会"]

    # ---- who sees what ------------------------------------------------------------------
    @property
    def shows_full_document(self) -> bool:
        return self.user is not None and (self.user.is_superuser or self.user.has_perm(FULL_DOCUMENT_PERM))

    def get_queryset(self):
        queryset = Member.objects.select_related("union", "employer", "town_street")
        if self.user is None:
            return queryset.none()
        return member_queryset_for_staff(self.user, queryset)

    def filter_export(self, queryset, **kwargs):
        if self.user is None:
            return queryset.none()
        return member_queryset_for_staff(self.user, queryset.select_related("union", "employer", "town_street"))

    def dehydrate_document_number(self, member):
        return member.document_number if self.shows_full_document else mask_document_number(member.document_number)

    def dehydrate_phone(self, member):
        return member.phone if self.shows_full_document else mask_phone(member.phone)

    # ---- import -------------------------------------------------------------------------
    def get_instance(self, instance_loader, row):
        """An existing member only when the row names its 会员号 (and it is in the user's scope)."""
        number = normalize_digits(_text(row.get("会员号")))
        if not number:
            return None
        member = self.get_queryset().filter(membership_number=number).first()
        if member is None:
            raise ValidationError({"membership_number": _("会员号 %(number)s 不存在或不在您的管理范围内。") % {"number": number}})
        return member

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Wholly blank lines (Excel often keeps a few at the end) are skipped, not refused."""
        return all(_text(v) == "" for v in row.values())

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if not _text(row.get("姓名")):
            errors.setdefault("name", []).append(_("请填写姓名。"))
        if "town_street" not in errors and instance.town_street_id is None and instance.union_id:
            instance.town_street = instance.union.town_street
        if "document_number" not in errors and instance.document_number:
            clash = Member.objects.filter(
                document_type=instance.document_type, document_number=instance.document_number
            ).exclude(pk=instance.pk).exists()
            if clash:
                errors.setdefault("document_number", []).append(
                    _("该证件号码已有会员登记（或与本文件前面的行重复）；如需更新该会员，请在“会员号”列填写其会员号。")
                )
        if "phone" not in errors and instance.phone:
            if Member.objects.filter(phone=instance.phone).exclude(pk=instance.pk).exists():
                errors.setdefault("phone", []).append(_("该手机号码已被其他会员使用（或与本文件前面的行重复）。"))
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        instance.joined_on = instance.joined_on or timezone.localdate()

    def after_save_instance(self, instance, row, **kwargs):
        if not instance.membership_number:
            membership_number_issue(member=instance)
