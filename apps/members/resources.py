"""Excel export (django-import-export, `MemberResource`) and import (`MemberImport`, on
apps.core.imports) of members, for the admin.

Import rules: every row is checked before anything is written and a file with any bad row
imports nothing. A row whose document number is already on file is a bad row unless it
carries that member's 会员号, which makes it an update of that member. New members get
gapless membership numbers (`members_import`). An officer imports only into, and updates
only, their own union(s). Export masks document numbers and phones for staff without
`members.view_full_document`.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, widgets

from apps.core.imports import (
    Column,
    NameMatcher,
    TableImport,
    cell_choice,
    cell_date,
    cell_document_number,
    cell_phone,
)
from apps.core.masking import mask_document_number, mask_phone
from apps.core.resources import GuardedModelResource
from apps.core.validators import (
    normalise_document_number,
    normalise_phone,
    validate_mobile_phone,
)
from apps.orgs.models import Employer, GrassrootsUnion, TownStreet
from apps.orgs.selectors import officer_union_ids

from .access import member_queryset_for_staff
from .models import DocumentType, Member, document_validate
from .services import members_import

FULL_DOCUMENT_PERM = "members.view_full_document"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():  # Excel turns long digit strings into numbers
        value = int(value)
    return str(value).strip()


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


# ---- the import of an office's own member list (apps.core.imports) -------------------------

def _gender_or_blank(value):
    return cell_choice(Member.Gender)(value)


class MemberImport(TableImport):
    """An office's member list: new members, or updates of members named by their 会员号.

    Lookups are batched in `prepare()` (unions, employers, towns, document numbers, phones and
    membership numbers already on file: six queries for the whole file); an officer imports
    only into, and updates only, their own union(s). A document number or phone already on
    file, or twice in the file, is a bad row.
    """

    title = _("会员导入")
    columns = [
        Column("membership_number", _("会员号"), ("会员编号", "会员证号"),
               help=_("更新已有会员时填写其会员号；新会员留空，导入后自动编号。"), example=""),
        Column("name", _("姓名"), ("职工姓名", "会员姓名", "名字"), required=True,
               help=_("与证件一致，最多50字。"), example="张三"),
        Column("gender", _("性别"), ("性 别",), required=True, clean=_gender_or_blank,
               help=_("男 或 女。"), example="男"),
        Column("document_type", _("证件类型"), ("证件种类",), clean=cell_choice(DocumentType),
               help=_("留空为居民身份证；也可填 港澳台居民居住证、护照、外国人永久居留身份证。"), example=""),
        Column("document_number", _("证件号码"), ("身份证号码", "身份证号", "身份证", "公民身份号码", "证件号"),
               required=True, clean=cell_document_number,
               help=_("18位身份证号，末位可为X。请把这一列设为“文本”格式，否则 Excel 会吞掉后几位。"),
               example="330782199001011234"),
        Column("phone", _("手机号码"), ("手机", "手机号", "联系电话", "联系方式", "电话号码", "电话"), clean=cell_phone,
               help=_("11位手机号，可带 +86、空格或短横线；不收固定电话。"), example="13805791234"),
        Column("union", _("所属工会"), ("所在工会", "工会名称", "工会", "基层工会"), required=True,
               help=_("工会全称，与系统中一致；写错时会提示相近的名称。"), example="义乌市某某有限公司工会"),
        Column("employer", _("工作单位"), ("单位", "单位名称", "所在单位", "工作单位名称"),
               help=_("单位全称，可空；须属于所填工会。"), example="义乌市某某有限公司"),
        Column("town_street", _("所在镇街"), ("镇街", "所属镇街", "镇/街道", "街道"),
               help=_("如“稠城”“佛堂镇”；留空则取工会所在镇街。"), example="稠城"),
        Column("job", _("岗位"), ("职务", "工种", "岗位/职务"), help=_("可空，最多50字。"), example="普工"),
        Column("joined_on", _("入会日期"), ("入会时间",), clean=cell_date,
               help=_("如 2015-01-01、2015/1/1、2015.1.1、2015年1月1日或 Excel 日期；留空为今天。"),
               example="2015-01-01"),
    ]

    def prepare(self, rows):
        scoped = officer_union_ids(self.user) if self.user is not None and not self.user.is_superuser else []
        unions = GrassrootsUnion.objects.filter(is_active=True).only("id", "name", "town_street_id")
        if scoped:
            unions = unions.filter(pk__in=scoped)
        self.unions = NameMatcher((u, u.name) for u in unions)
        wanted = {self.unions.get(r.values["union"]) for r in rows if r.values["union"]} - {None}
        employer_names = {r.values["employer"] for r in rows if r.values["employer"]}
        employers = Employer.objects.filter(
            Q(union_id__in=[u.pk for u in wanted]) | Q(name__in=employer_names)
        ).only("id", "name", "union_id")
        self.employers = NameMatcher((e, e.name) for e in employers)
        self.towns = NameMatcher(
            pair for t in TownStreet.objects.all() for pair in ((t, t.name), (t, t.full_name), (t, t.code))
        )
        numbers = {r.values["document_number"] for r in rows if r.values["document_number"]}
        self.documents_on_file = {
            (doc_type, number): pk
            for doc_type, number, pk in Member.objects.filter(document_number__in=numbers)
            .values_list("document_type", "document_number", "pk")
        }
        phones = {r.values["phone"] for r in rows if r.values["phone"]}
        self.phones_on_file = dict(Member.objects.filter(phone__in=phones).values_list("phone", "pk"))
        membership_numbers = {
            re.sub(r"\s", "", r.values["membership_number"]).upper() for r in rows if r.values["membership_number"]
        }
        visible = member_queryset_for_staff(self.user) if self.user is not None else Member.objects.none()
        self.updatable = {m.membership_number: m for m in visible.filter(membership_number__in=membership_numbers)}
        self.seen_documents, self.seen_phones, self.seen_members = {}, {}, {}

    def clean_row(self, row, problem):
        v = row.values
        member = Member(document_type=DocumentType.RESIDENT_ID)
        number = re.sub(r"\s", "", v["membership_number"] or "").upper()
        if number:
            member = self.updatable.get(number)
            if member is None:
                problem("membership_number", _("会员号 %(number)s 不存在或不在您的管理范围内。") % {"number": number})
                return
            if number in self.seen_members:
                problem("membership_number", _("与第 %(line)d 行是同一会员号。") % {"line": self.seen_members[number]})
            self.seen_members[number] = row.line
        if v["name"] is not None and len(v["name"]) > 50:
            problem("name", _("姓名最多50字。"))
        if v["job"] is not None and len(v["job"]) > 50:
            problem("job", _("岗位最多50字。"))
        member.name = v["name"] or ""
        member.job = v["job"] if v["job"] is not None else member.job
        member.gender = v["gender"] or member.gender
        member.document_type = v["document_type"] or DocumentType.RESIDENT_ID
        self._check_document(row, member, problem)
        self._check_phone(row, member, problem)
        self._check_organisations(row, member, problem)
        if v["joined_on"] and v["joined_on"] > timezone.localdate():
            problem("joined_on", _("入会日期不能晚于今天。"))
        member.joined_on = v["joined_on"] or member.joined_on
        v["_member"] = member

    def _check_document(self, row, member, problem):
        number = row.values["document_number"]
        if not number:
            return
        try:
            member.document_number = document_validate(member.document_type, number)
        except ValidationError as exc:
            problem("document_number", "；".join(exc.messages))
            return
        key = (member.document_type, member.document_number)
        holder = self.documents_on_file.get(key)
        if holder is not None and holder != member.pk:
            problem("document_number", _(
                "该证件号码已有会员登记；如需更新该会员，请在“会员号”列填写其会员号。"
            ))
        elif key in self.seen_documents:
            problem("document_number", _("与第 %(line)d 行的证件号码重复。") % {"line": self.seen_documents[key]})
        self.seen_documents.setdefault(key, row.line)

    def _check_phone(self, row, member, problem):
        phone = row.values["phone"]
        if phone is None:
            return
        member.phone = phone
        if not phone:
            return
        holder = self.phones_on_file.get(phone)
        if holder is not None and holder != member.pk:
            problem("phone", _("该手机号码已被其他会员使用。"))
        elif phone in self.seen_phones:
            problem("phone", _("与第 %(line)d 行的手机号码重复。") % {"line": self.seen_phones[phone]})
        self.seen_phones.setdefault(phone, row.line)

    def _check_organisations(self, row, member, problem):
        v = row.values
        union = self.unions.get(v["union"]) if v["union"] else None
        if v["union"] and union is None:
            problem("union", self.unions.missing_text(
                v["union"], _("找不到名为“%(name)s”的工会，或您无权向该工会导入会员。") % {"name": v["union"]}
            ))
        member.union = union if union is not None else getattr(member, "union", None)
        if v["employer"] is None:  # no such column in the file: the member keeps their employer
            employer = getattr(member, "employer", None)
        else:
            employer = None
        if v["employer"]:
            employer = self.employers.get(v["employer"])
            if employer is None:
                problem("employer", self.employers.missing_text(
                    v["employer"], _("找不到名为“%(name)s”的工作单位。") % {"name": v["employer"]}
                ))
            elif union is not None and employer.union_id and employer.union_id != union.pk:
                problem("employer", _("工作单位“%(employer)s”不属于工会“%(union)s”。") % {
                    "employer": employer.name, "union": union.name,
                })
        member.employer = employer
        town = None
        if v["town_street"]:
            town = self.towns.get(v["town_street"]) or self.towns.get(
                v["town_street"].removesuffix("街道").removesuffix("镇")
            )
            if town is None:
                problem("town_street", _("找不到镇街“%(name)s”，请填写如“稠城”或“佛堂镇”。") % {"name": v["town_street"]})
        if town is not None:
            member.town_street = town
        elif union is not None:
            member.town_street_id = union.town_street_id

    def write(self, rows, report):
        new = [r.values["_member"] for r in rows if r.values["_member"].pk is None]
        changed = [r.values["_member"] for r in rows if r.values["_member"].pk is not None]
        report.created, report.updated = members_import(
            new=new, changed=changed, by=self.user, on_batch=self.written
        )
