"""Forms of the aid app: parsing and messages only (writes are in services.py)."""

import unicodedata
import uuid
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.core.fields import ACCEPTED_DOCUMENTS, CheckedFilesField, MultipleFileInput
from apps.core.validators import normalise_document_number
from apps.members.models import Member

from .models import ApplicationDocument, Cause, Facts, HardshipLevel, PaymentMethod, RecheckOutcome, SchoolLevel, Status
from .services import MAX_DOCUMENTS

DATE_WIDGET = {"type": "date"}


class MoneyField(forms.DecimalField):
    """Yuan as people type them: full-width digits, ¥ or 元, thousands separators."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("error_messages", {
            "invalid": _lazy("请输入金额数字，例如 1234.50。"), "min_value": _lazy("金额不能为负数。"),
            "max_digits": _lazy("金额过大。"), "max_whole_digits": _lazy("金额过大。"),
            "max_decimal_places": _lazy("金额最多保留两位小数。"),
        })
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal"})

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value)
            for token in ("¥", "￥", "元", ",", " "):
                value = value.replace(token, "")
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        return attrs


class FilesField(CheckedFilesField):
    """Optional files of an application, checked by content, at most MAX_DOCUMENTS per field."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_files", MAX_DOCUMENTS)
        kwargs.setdefault("error_messages", {"too_many": _lazy("最多上传 %(max)d 个材料。")})
        super().__init__(**kwargs)


class ApplicationForm(forms.Form):
    """The member's (or officer's) application: the facts its aid type asks for and uploads.

    Files that pass the content check are kept on the draft even when another field has an
    error (the view saves them first), so the person never has to choose them again.
    """

    reason = forms.CharField(
        label=_lazy("申请理由"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _lazy("简要说明家庭困难情况和申请原因")}),
    )
    child_name = forms.CharField(label=_lazy("子女姓名"), max_length=50, required=False)
    school = forms.CharField(label=_lazy("就读学校"), max_length=100, required=False)
    school_level = forms.ChoiceField(label=_lazy("学段"), choices=[("", "——请选择——"), *SchoolLevel.choices], required=False)
    enrolled_on = forms.DateField(label=_lazy("入学日期"), required=False, widget=forms.DateInput(attrs=DATE_WIDGET))
    diagnosis = forms.CharField(label=_lazy("诊断（疾病名称）"), max_length=200, required=False)
    hospital = forms.CharField(label=_lazy("就诊医院"), max_length=100, required=False)
    treated_from = forms.DateField(label=_lazy("治疗开始日期"), required=False, widget=forms.DateInput(attrs=DATE_WIDGET))
    treated_to = forms.DateField(label=_lazy("治疗结束日期"), required=False, widget=forms.DateInput(attrs=DATE_WIDGET))
    total_cost = MoneyField(label=_lazy("医疗总费用（元）"), required=False)
    insurance_paid = MoneyField(label=_lazy("医保已报销（元）"), required=False)
    mutual_aid_paid = MoneyField(label=_lazy("职工医疗互助已支付（元）"), required=False)
    out_of_pocket = MoneyField(label=_lazy("个人自付（元）"), required=False)
    bank_name = forms.CharField(label=_lazy("收款银行（选填）"), max_length=60, required=False,
                                help_text=_lazy("例如 义乌农商银行稠城支行；不填则发放时与您联系"))
    bank_account = forms.CharField(label=_lazy("银行卡号（选填）"), max_length=40, required=False,
                                   widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    admission = FilesField(label=_lazy("录取通知书或学籍证明"), help_text=_lazy("拍照或 PDF，每个不超过 10 MB"))
    receipts = FilesField(label=_lazy("医疗费用票据"), help_text=_lazy("发票、费用清单，可多选"))
    diagnosis_docs = FilesField(label=_lazy("诊断证明或出院小结（选填）"))
    other_docs = FilesField(label=_lazy("其他证明材料（选填）"))

    FILE_PURPOSES = {
        "admission": ApplicationDocument.Purpose.ADMISSION,
        "receipts": ApplicationDocument.Purpose.RECEIPT,
        "diagnosis_docs": ApplicationDocument.Purpose.DIAGNOSIS,
        "other_docs": ApplicationDocument.Purpose.OTHER,
    }
    KIND_FIELDS = {
        Facts.GENERAL: ["reason", "bank_name", "bank_account", "other_docs"],
        Facts.STUDENT: ["child_name", "school", "school_level", "enrolled_on", "reason", "bank_name", "bank_account",
                        "admission", "other_docs"],
        Facts.ILLNESS: [
            "diagnosis", "hospital", "treated_from", "treated_to", "total_cost", "insurance_paid", "mutual_aid_paid",
            "out_of_pocket", "reason", "bank_name", "bank_account", "receipts", "diagnosis_docs", "other_docs",
        ],
    }

    def __init__(self, *args, aid_type, **kwargs):
        super().__init__(*args, **kwargs)
        self.aid_type = aid_type
        wanted = self.KIND_FIELDS[aid_type.facts]
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        self.helper = FormHelper()
        self.helper.form_tag = False
        facts = [n for n in wanted if n not in self.FILE_PURPOSES]
        files = [n for n in wanted if n in self.FILE_PURPOSES]
        self.helper.layout = Layout(Fieldset(_("申请信息"), *facts), Fieldset(_("证明材料"), *files))

    def documents(self) -> list:
        """(purpose, CleanDocument) of every file field that passed its check."""
        found = []
        for name, purpose in self.FILE_PURPOSES.items():
            if name not in self.fields:
                continue
            if name in self.errors:
                documents = getattr(self.fields[name], "accepted", [])
            else:
                documents = self.cleaned_data.get(name) or []
            found.extend((purpose, document) for document in documents)
        return found

    def facts(self) -> dict:
        return {n: v for n, v in self.cleaned_data.items() if n not in self.FILE_PURPOSES}

    def clean_bank_account(self):
        number = unicodedata.normalize("NFKC", self.cleaned_data.get("bank_account") or "")
        number = "".join(number.replace("-", " ").split())
        if number and not (number.isdigit() and 12 <= len(number) <= 30):
            raise ValidationError(_("请输入正确的银行卡号（12至30位数字）。"))
        return number

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("treated_from"), cleaned.get("treated_to")
        if start and end and end < start:
            self.add_error("treated_to", _("结束日期不能早于开始日期。"))
        if start and start > timezone.localdate():
            self.add_error("treated_from", _("治疗开始日期不能晚于今天。"))
        total, own = cleaned.get("total_cost"), cleaned.get("out_of_pocket")
        if total is not None and own is not None and own > total:
            self.add_error("out_of_pocket", _("个人自付金额不能大于医疗总费用。"))
        return cleaned


def member_by_ref(ref: str, unions: list[int] | None) -> Member:
    """The member a counter clerk means by a membership number or an ID number (full-width
    digits and a lower-case x accepted); within `unions` for an officer (None: anyone).
    Raises ValidationError with the same message whether the member is absent or elsewhere."""
    ref = normalise_document_number(unicodedata.normalize("NFKC", ref or ""))
    member = (Member.objects.select_related("union", "town_street").filter(membership_number=ref).first()
              or Member.objects.select_related("union", "town_street").filter(document_number=ref).first())
    if member is None or (unions is not None and member.union_id not in unions):
        if unions is None:
            raise ValidationError(_("没有这名会员，请核对会员号或身份证号。"))
        raise ValidationError(_("本工会没有这名会员，请核对会员号或身份证号。"))
    return member


class CounterForm(forms.Form):
    """The member a counter form is about, found by membership or ID number."""

    member_ref = forms.CharField(
        label=_lazy("会员号或身份证号"), max_length=30,
        error_messages={"required": _lazy("请填写会员号或身份证号。")},
    )

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.unions = unions
        if unions is not None:
            self.fields["member_ref"].help_text = _("只能为本工会会员代为办理")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_member_ref(self):
        return member_by_ref(self.cleaned_data["member_ref"], self.unions)


class OfficerApplyForm(CounterForm):
    """An officer (or aid-centre staff at the counter) starts an application for a member."""

    aid_type = forms.ChoiceField(label=_lazy("救助项目"), error_messages={"required": _lazy("请选择救助项目。")})

    def __init__(self, *args, aid_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.aid_types = {str(t.pk): t for t in aid_types}
        self.fields["aid_type"].choices = [("", "——请选择——")] + [(k, str(t)) for k, t in self.aid_types.items()]

    def clean_aid_type(self):
        return self.aid_types[self.cleaned_data["aid_type"]]


class CounterEnrolForm(CounterForm):
    """Enrol a member in a health check, screening or recuperation programme on their behalf."""

    programme = forms.ChoiceField(label=_lazy("健康服务项目"), error_messages={"required": _lazy("请选择项目。")})

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.programmes = {str(p.pk): p for p in programmes}
        self.fields["programme"].choices = [("", "——请选择——")] + [(k, str(p)) for k, p in self.programmes.items()]

    def clean_programme(self):
        return self.programmes[self.cleaned_data["programme"]]


class CounterFileForm(CounterForm):
    """A hardship file proposed at the counter (the household is a formset beside it; the files
    are kept across a re-shown form by apps.core.uploads.PendingUploads)."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    level = forms.ChoiceField(label=_lazy("困难类别"), choices=[("", "——请选择——"), *HardshipLevel.choices],
                              error_messages={"required": _lazy("请选择困难类别。")})
    address = forms.CharField(label=_lazy("家庭住址"), max_length=200, error_messages={"required": _lazy("请填写家庭住址。")})
    primary_cause = forms.ChoiceField(label=_lazy("主要致困原因"), choices=[("", "——请选择——"), *Cause.choices],
                                      error_messages={"required": _lazy("请选择主要致困原因。")})
    secondary_causes = forms.MultipleChoiceField(label=_lazy("次要致困原因（最多三项）"), choices=Cause.choices, required=False,
                                                 widget=forms.CheckboxSelectMultiple)
    situation = forms.CharField(label=_lazy("家庭情况说明"), max_length=2000, required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    documents = forms.FileField(label=_lazy("证明材料（低保证、病历、收入证明等）"), required=False,
                                widget=MultipleFileInput(attrs={"accept": ACCEPTED_DOCUMENTS}),
                                help_text=_lazy("拍照或 PDF，每个不超过 10 MB"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())

    def clean_documents(self):
        return None  # the view checks and keeps them (PendingUploads), whatever else is wrong

    def clean(self):
        cleaned = super().clean()
        primary, secondary = cleaned.get("primary_cause"), cleaned.get("secondary_causes") or []
        if primary and (len(secondary) > 3 or primary in secondary):
            self.add_error("secondary_causes", _("次要致困原因最多选三项，且不能与主要原因相同。"))
        return cleaned


class HouseholdForm(forms.Form):
    name = forms.CharField(label=_lazy("姓名"), max_length=50)
    relation = forms.CharField(label=_lazy("与职工关系"), max_length=20, error_messages={"required": _lazy("请填写与职工关系。")})
    age = forms.IntegerField(label=_lazy("年龄"), min_value=0, max_value=130,
                             error_messages={"invalid": _lazy("年龄请填写数字。"), "min_value": _lazy("年龄不能为负数。"),
                                             "max_value": _lazy("年龄不正确。"), "required": _lazy("请填写年龄。")})
    health = forms.CharField(label=_lazy("健康状况"), max_length=50, required=False)
    work = forms.CharField(label=_lazy("就业/就学情况"), max_length=50, required=False)
    monthly_income = MoneyField(label=_lazy("月收入（元）"), required=False)
    document_number = forms.CharField(label=_lazy("身份证号（选填）"), max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["age"].widget.attrs.update({"inputmode": "numeric"})

    def clean_document_number(self):
        return normalise_document_number(unicodedata.normalize("NFKC", self.cleaned_data.get("document_number") or ""))

    def row(self) -> dict:
        data = dict(self.cleaned_data)
        data["monthly_income"] = data.get("monthly_income") or Decimal("0")
        return data


class BaseHouseholdFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not any(f.has_changed() for f in self.forms):
            raise ValidationError(_("请至少填写一名家庭成员（含职工本人）。"))

    def rows(self) -> list[dict]:
        return [f.row() for f in self.forms if f.has_changed() and f.cleaned_data]


HouseholdFormSet = forms.formset_factory(HouseholdForm, formset=BaseHouseholdFormSet, extra=4, max_num=15, validate_max=True)


class DecisionForm(forms.Form):
    """Staff's decision on one application (officer check, approval, second approval,
    return, decline, payment): the move chosen and the details it needs."""

    target = forms.ChoiceField(label=_lazy("处理"), widget=forms.RadioSelect)
    amount = MoneyField(label=_lazy("批准金额（元）"), required=False)
    reason = forms.CharField(label=_lazy("原因/说明"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    paid_method = forms.ChoiceField(label=_lazy("发放方式"), choices=[("", "——"), *PaymentMethod.choices], required=False)
    paid_on = forms.DateField(label=_lazy("发放日期"), required=False, widget=forms.DateInput(attrs=DATE_WIDGET))
    paid_reference = forms.CharField(label=_lazy("转账或领款凭证号"), max_length=60, required=False)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Status.choices)
        self.fields["target"].choices = [(t, labels[t]) for t in targets]
        self.helper = FormHelper()
        self.helper.form_tag = False


class RecheckForm(forms.Form):
    outcome = forms.ChoiceField(label=_lazy("复核结果"), choices=RecheckOutcome.choices)
    new_level = forms.ChoiceField(label=_lazy("新类别"), choices=[("", "——"), *HardshipLevel.choices], required=False)
    reason = forms.CharField(label=_lazy("复核说明"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class FileDecisionForm(forms.Form):
    """The aid centre's decision on a proposed hardship file."""

    decision = forms.ChoiceField(
        label=_lazy("认定"), widget=forms.RadioSelect,
        choices=[("open", _lazy("认定建档")), ("refuse", _lazy("不予建档"))],
    )
    note = forms.CharField(label=_lazy("认定意见/不予建档原因"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}), help_text=_lazy("不予建档时必填，会告知职工"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_lazy("撤回原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_lazy("例如 照片模糊无法辨认、与本人无关；原因会告知申请人"),
                             error_messages={"required": _lazy("请填写撤回原因。")})
