"""Forms of the mutual-aid app: parsing and messages only (writes are in services.py)."""

import unicodedata
import uuid
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import DomainError
from apps.core.fields import AmountFormField, CheckedFilesField

from .models import BenefitKind, BenefitType, FixedBenefit, Scheme, Status
from .services import MAX_RECEIPTS, claim_context


class ReceiptsField(CheckedFilesField):
    """The receipts of a claim: at least one, at most MAX_RECEIPTS, checked by content."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_files", MAX_RECEIPTS)
        kwargs.setdefault("error_messages", {
            "required": gettext_lazy("请上传医疗费用票据或诊断证明（图片或 PDF）。"),
            "too_many": gettext_lazy("每件申请最多上传 %(max)d 个票据文件。"),
        })
        super().__init__(**kwargs)


class MoneyField(AmountFormField):
    """An amount in yuan as people type it (the shared reading: full-width digits, thousands
    commas, a trailing 元), never negative, with mutual aid's messages."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("error_messages", {
            "invalid": gettext_lazy("请输入金额（元），如 12345.60。"),
            "max_decimal_places": gettext_lazy("金额最多保留两位小数。"),
            "max_digits": gettext_lazy("金额过大。"),
        })
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "autocomplete": "off"}

    def validate(self, value):
        super().validate(value)
        if value is not None and value < 0:
            raise ValidationError(_("金额不能为负数。"), code="negative")


def benefit_choices() -> list[tuple[str, str]]:
    """Benefits of the schemes covering today and last year (a stay of late December is often
    claimed in January), by code: the service resolves the version that applies."""
    today = timezone.localdate()
    years = [today.year, today.year - 1]
    seen, choices = set(), [("", "——请选择——")]
    for code, name in (
        BenefitType.objects.filter(scheme__year__in=years).order_by("-scheme__year", "sort_order", "id")
        .values_list("code", "name")
    ):
        if code not in seen:
            seen.add(code)
            choices.append((code, name))
    return choices


def fixed_item_choices() -> list[tuple[str, str]]:
    today = timezone.localdate()
    names = (
        FixedBenefit.objects.filter(benefit__scheme__year__in=[today.year, today.year - 1],
                                    benefit__kind=BenefitKind.FIXED)
        .order_by("benefit__sort_order", "sort_order").values_list("benefit__name", "name")
    )
    seen, choices = set(), [("", "——不适用——")]
    for benefit, name in names:
        if name not in seen:
            seen.add(name)
            choices.append((name, f"{benefit}：{name}"))
    return choices


class ClaimForm(forms.Form):
    """A claim: the member's own online, or the agency point's from paper (with `member`)."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    benefit_code = forms.ChoiceField(label=gettext_lazy("申请项目"))
    fixed_item_name = forms.ChoiceField(label=gettext_lazy("病种或伤残等级"), required=False,
                                        help_text=gettext_lazy("申请重大疾病、女职工特殊疾病或意外伤害时选择"))
    hospital = forms.CharField(label=gettext_lazy("就诊医院"), max_length=100)
    admitted_on = forms.DateField(label=gettext_lazy("入院日期"), widget=forms.DateInput(attrs={"type": "date"}))
    discharged_on = forms.DateField(label=gettext_lazy("出院日期"), widget=forms.DateInput(attrs={"type": "date"}))
    diagnosis = forms.CharField(label=gettext_lazy("诊断"), max_length=200)
    total_cost = MoneyField(label=gettext_lazy("医疗总费用（元）"))
    insurance_paid = MoneyField(label=gettext_lazy("基本医保支付（元）"))
    out_of_pocket = MoneyField(label=gettext_lazy("个人自付（元）"), help_text=gettext_lazy("总费用减去医保支付的部分，见结算单"))
    payee_bank = forms.CharField(label=gettext_lazy("开户银行"), max_length=60)
    payee_account = forms.CharField(label=gettext_lazy("本人银行账号"), max_length=30,
                                    widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    receipts = ReceiptsField(
        label=gettext_lazy("票据与证明"),
        help_text=gettext_lazy("住院发票、费用清单、出院小结等的照片或 PDF，每个不超过 10 MB，最多 %(max)d 个")
        % {"max": MAX_RECEIPTS},
    )

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.context = None
        self.fields["benefit_code"].choices = benefit_choices()
        self.fields["fixed_item_name"].choices = fixed_item_choices()
        if not self.is_bound and not self.initial.get("token"):
            self.initial["token"] = uuid.uuid4()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("住院情况"), "token", "benefit_code", "fixed_item_name", "hospital", "admitted_on",
                     "discharged_on", "diagnosis"),
            Fieldset(_("费用"), "total_cost", "insurance_paid", "out_of_pocket"),
            Fieldset(_("收款账户"), "payee_bank", "payee_account"),
            Fieldset(_("材料"), "receipts"),
        )

    def clean_payee_account(self):
        account = unicodedata.normalize("NFKC", self.cleaned_data["payee_account"]).replace(" ", "").replace("-", "")
        if not account.isdigit() or not 8 <= len(account) <= 30:
            raise ValidationError(_("银行账号应为 8 至 30 位数字。"))
        return account

    def clean(self):
        cleaned = super().clean()
        needed = ["benefit_code", "admitted_on", "discharged_on", "total_cost", "insurance_paid", "out_of_pocket"]
        if self.member is None or any(cleaned.get(name) is None for name in needed):
            return cleaned
        try:
            self.context = claim_context(
                member=self.member, benefit_code=cleaned["benefit_code"],
                fixed_item_name=cleaned.get("fixed_item_name") or "", admitted_on=cleaned["admitted_on"],
                discharged_on=cleaned["discharged_on"], total_cost=cleaned["total_cost"],
                insurance_paid=cleaned["insurance_paid"], out_of_pocket=cleaned["out_of_pocket"],
            )
        except DomainError as exc:
            raise ValidationError(str(exc)) from None
        return cleaned


class MoreReceiptsForm(forms.Form):
    """A returned claim's extra material, from the member."""

    receipts = ReceiptsField(label=gettext_lazy("补充材料"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


IMPORT_MAX_BYTES = 5 * 1024 * 1024


class EnrolmentImportForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("参保年度"), min_value=2000, max_value=2100)
    file = forms.FileField(label=gettext_lazy("参保名单（Excel .xlsx 或 CSV）"),
                           help_text=gettext_lazy("须有“身份证号码”列；表头上方可以有标题行"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("文件过大：不能超过 %(mb)d MB。") % {"mb": IMPORT_MAX_BYTES // (1024 * 1024)})
        return upload

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.helper = FormHelper()
        self.helper.form_tag = False


class ClaimMoveForm(forms.Form):
    """A staff decision on a claim (admin)."""

    target = forms.ChoiceField(label=gettext_lazy("办理"), choices=Status.choices)
    note = forms.CharField(label=gettext_lazy("原因或需补充的材料"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    paid_on = forms.DateField(label=gettext_lazy("拨付日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=gettext_lazy("拨付凭证号"), required=False, max_length=60)


class BatchPayForm(forms.Form):
    paid_on = forms.DateField(label=gettext_lazy("拨付日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=gettext_lazy("银行凭证号"), max_length=60)


class SchemeVersionForm(forms.Form):
    effective_from = forms.DateField(label=gettext_lazy("新版本适用起始日"), widget=forms.DateInput(attrs={"type": "date"}))


class SchemeAdminForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = ["year", "name", "effective_from", "contribution", "cover_start", "cover_end", "waiting_days",
                  "claim_deadline_days", "overall_cap", "is_active"]

    def clean(self):
        cleaned = super().clean()
        for name in ("contribution", "overall_cap"):
            if cleaned.get(name) is not None and cleaned[name] < Decimal("0"):
                self.add_error(name, _("金额不能为负数。"))
        return cleaned
