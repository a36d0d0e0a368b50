"""Forms of the membership pages and admin actions: parsing and messages, no writes."""

import uuid

from crispy_forms.bootstrap import FieldWithButtons, InlineRadios, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Field, Layout
from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.accounts.forms import SEND_CODE, PhoneCodeForm, PhoneField
from apps.accounts.models import PhoneCode
from apps.core.fields import DocumentNumberFormField
from apps.core.uploads import document_clean
from apps.members.models import DocumentType, Member, document_validate
from apps.orgs.models import Employer, GrassrootsUnion, TownStreet

from .models import JoinRequest, ProfileChangeRequest

EMPLOYER_SEARCH_URL = reverse_lazy("membership:employer_search")
EMPLOYER_RESULTS = HTML(
    '<div class="list-group employer-results mb-3" data-employer-results hidden></div>'
)


def _code_button():
    return StrictButton(
        _lazy("获取验证码"), type="submit", name=SEND_CODE, value="1",
        css_class="btn-outline-primary", formnovalidate="formnovalidate",
    )


def _employer_from(form, id_field: str, name_field: str):
    """The employer picked from the search list, if its name is still the one typed."""
    pk = form.cleaned_data.get(id_field)
    name = (form.cleaned_data.get(name_field) or "").strip()
    if not pk:
        return None
    employer = Employer.objects.select_related("town_street", "union").filter(pk=pk).first()
    if employer is None or employer.name != name:
        return None
    return employer


class JoinForm(PhoneCodeForm):
    """网上入会: who, which document, which phone (proven by a code), where they work.

    Nothing is said about the ID number before the code is checked: whether it belongs to a
    member is the service's answer to a submission with a right code (rate-limited)."""

    code_purpose = PhoneCode.Purpose.JOIN
    send_code_fields = ["document_type", "document_number", "phone"]

    name = forms.CharField(label=_lazy("姓名"), max_length=50)
    gender = forms.ChoiceField(label=_lazy("性别"), choices=Member.Gender.choices, widget=forms.RadioSelect)
    document_type = forms.ChoiceField(label=_lazy("证件类型"), choices=DocumentType.choices, initial=DocumentType.RESIDENT_ID)
    document_number = DocumentNumberFormField(label=_lazy("证件号码"))
    phone = PhoneField()
    employer_name = forms.CharField(
        label=_lazy("工作单位"), max_length=100,
        help_text=_lazy("输入单位名称中的两个字以上可从名录中选择；名录中没有的单位请填写全称"),
    )
    employer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    town_street = forms.ModelChoiceField(
        label=_lazy("单位所在镇街"), queryset=TownStreet.objects.all(), empty_label=_lazy("请选择"),
        help_text=_lazy("从名录中选择单位时按单位所在地自动确定"),
    )
    job = forms.CharField(label=_lazy("岗位"), max_length=50)
    address = forms.CharField(label=_lazy("住址（选填）"), max_length=200, required=False)
    consent = forms.BooleanField(
        label=_lazy("我已阅读并同意《中国工会章程》，自愿加入工会组织，履行会员义务"),
        error_messages={"required": _lazy("请阅读并同意《中国工会章程》后再提交。")},
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.already_member = False
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["employer_name"].widget.attrs.update({
            "autocomplete": "off", "data-employer-search": EMPLOYER_SEARCH_URL,
            "data-employer-id": "id_employer", "data-employer-town": "id_town_street",
        })
        self.helper.layout = Layout(
            "name", InlineRadios("gender"), "document_type", "document_number", "phone",
            FieldWithButtons("code", _code_button()),
            Field("employer_name"), EMPLOYER_RESULTS, "employer", "town_street", "job", "address",
            "consent", "idempotency_key",
        )

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_document_number(self):
        return document_validate(self.cleaned_data.get("document_type", ""), self.cleaned_data["document_number"])

    def clean(self):
        cleaned = super().clean()
        cleaned["employer_obj"] = _employer_from(self, "employer", "employer_name")
        return cleaned


class StatusForm(PhoneCodeForm):
    """进度查询: the phone the join request was sent from, proven by a code."""

    code_purpose = PhoneCode.Purpose.STATUS
    phone = PhoneField(label=_lazy("申请时填写的手机号码"))

    def deliver_code(self) -> bool:
        # Same answer for every phone; a code only leaves for a phone that sent a request.
        return JoinRequest.objects.filter(phone=self.cleaned_data["phone"]).exists()


class TransferForm(forms.Form):
    to_employer_name = forms.CharField(
        label=_lazy("新工作单位"), max_length=100,
        help_text=_lazy("输入单位名称中的两个字以上可从名录中选择；名录中没有的单位请填写全称"),
    )
    to_employer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    to_town_street = forms.ModelChoiceField(
        label=_lazy("新单位所在镇街"), queryset=TownStreet.objects.all(), empty_label=_lazy("请选择"),
    )
    reason = forms.CharField(
        label=_lazy("转会原因（选填）"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_employer_name"].widget.attrs.update({
            "autocomplete": "off", "data-employer-search": EMPLOYER_SEARCH_URL,
            "data-employer-id": "id_to_employer", "data-employer-town": "id_to_town_street",
        })
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("to_employer_name"), EMPLOYER_RESULTS, "to_employer", "to_town_street", "reason"
        )

    def clean(self):
        cleaned = super().clean()
        cleaned["employer_obj"] = _employer_from(self, "to_employer", "to_employer_name")
        return cleaned


class ProfileForm(forms.Form):
    address = forms.CharField(label=_lazy("住址"), max_length=200, required=False)
    job = forms.CharField(label=_lazy("岗位"), max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ProfileChangeForm(forms.Form):
    """A change of name or document, with the proof (PDF or photo of the new document)."""

    kind = forms.ChoiceField(
        label=_lazy("变更事项"), choices=ProfileChangeRequest.Kind.choices, widget=forms.RadioSelect,
        initial=ProfileChangeRequest.Kind.NAME,
    )
    new_name = forms.CharField(label=_lazy("新姓名"), max_length=50, required=False)
    new_document_type = forms.ChoiceField(
        label=_lazy("新证件类型"), choices=DocumentType.choices, required=False, initial=DocumentType.RESIDENT_ID
    )
    new_document_number = DocumentNumberFormField(label=_lazy("新证件号码"), required=False)
    reason = forms.CharField(label=_lazy("变更原因"), max_length=200, required=False)
    proof = forms.FileField(
        label=_lazy("证明材料"),
        help_text=_lazy("户籍变更证明或新证件照片：JPEG、PNG、WebP 或 PDF，不超过 10 MB"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            InlineRadios("kind"), "new_name", "new_document_type", "new_document_number", "reason", "proof"
        )

    def clean_proof(self):
        return document_clean(self.cleaned_data["proof"])

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == ProfileChangeRequest.Kind.NAME and not (cleaned.get("new_name") or "").strip():
            self.add_error("new_name", _("请填写新姓名。"))
        if kind == ProfileChangeRequest.Kind.DOCUMENT:
            if not cleaned.get("new_document_number"):
                self.add_error("new_document_number", _("请填写新证件号码。"))
            else:
                try:
                    cleaned["new_document_number"] = document_validate(
                        cleaned.get("new_document_type", ""), cleaned["new_document_number"]
                    )
                except ValidationError as exc:
                    self.add_error("new_document_number", exc)
        return cleaned


# ---- admin action forms --------------------------------------------------------------------
class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_lazy("未通过原因"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy("原因将以短信告知申请人"),
    )


class IdentityConfirmForm(forms.Form):
    note = forms.CharField(
        label=_lazy("核验说明（选填）"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_lazy("已当面核对申请人的身份证件原件与本人一致"),
    )


class ForwardForm(forms.Form):
    to_union = forms.ModelChoiceField(label=_lazy("转交至工会"), queryset=GrassrootsUnion.objects.filter(is_active=True))
    note = forms.CharField(label=_lazy("转交说明"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        if admin_site is not None:
            field = self.fields["to_union"]
            field.widget = AutocompleteSelect(JoinRequest._meta.get_field("union"), admin_site, choices=field.choices)


class MergeForm(forms.Form):
    survivor = forms.IntegerField(widget=forms.RadioSelect)
    note = forms.CharField(label=_lazy("说明（选填）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
