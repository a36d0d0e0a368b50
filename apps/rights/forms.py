"""Forms of the rights app: parsing and messages only (writes are in services.py)."""

import uuid

from crispy_forms.bootstrap import FieldWithButtons
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Field, Fieldset, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.accounts.forms import PhoneCodeForm, PhoneField
from apps.accounts.models import PhoneCode
from apps.core.errors import DomainError
from apps.core.fields import AmountFormField, DocumentNumberFormField, MultipleFileField
from apps.core.uploads import PendingUploads, document_clean, documents_check
from apps.core.validators import normalise_document_number, validate_resident_id
from apps.orgs.models import Employer, TownStreet

from .models import CaseAttachment, Category, Grade, Outcome, RightsCase, Status
from .selectors import cases_for_phone
from .services import MAX_ATTACHMENTS, case_transition_check


class CaseDetailsForm(forms.Form):
    """What happened and to whom it is owed: the part of the online form every worker fills."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    employer = forms.ModelChoiceField(queryset=Employer.objects.all(), required=False, widget=forms.HiddenInput)
    employer_name = forms.CharField(
        label=_lazy("用人单位"), max_length=100, required=False,
        help_text=_lazy("输入单位名称中的两个字以上查找；名录中没有的，请填写单位全称"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-employer-search": "1"}),
    )
    town_street = forms.ModelChoiceField(
        label=_lazy("单位所在镇街"), queryset=TownStreet.objects.all(), required=False, empty_label=_lazy("——请选择——"),
        help_text=_lazy("单位不在名录中时请选择"),
    )
    category = forms.ChoiceField(label=_lazy("求助类别"), choices=[("", _lazy("——请选择——")), *Category.choices])
    description = forms.CharField(
        label=_lazy("事情经过与诉求"), min_length=10, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": _lazy("请说明何时、在哪家单位、发生了什么，以及您希望工会帮助解决什么")}),
        error_messages={"min_length": _lazy("请至少用10个字说明事情经过。")},
    )
    amount_owed = AmountFormField(
        label=_lazy("涉及金额（元，选填）"), required=False, min_value=0, max_digits=12, decimal_places=2,
        error_messages={"min_value": _lazy("涉及金额不能为负数。")},
    )
    attachments = MultipleFileField(label=_lazy("证明材料（选填）"), required=False)

    def __init__(self, *args, member=None, pending: PendingUploads | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.pending = pending
        self.upload_errors: list[str] = []
        self.fields["attachments"].help_text = attachments_help()
        if member is not None and member.employer_id:
            self.fields["employer"].initial = member.employer_id
            self.fields["employer_name"].initial = member.employer.name
        if not self.is_bound and not self.initial.get("token"):
            self.initial["token"] = uuid.uuid4()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(self.details_fieldset())

    def details_fieldset(self):
        return Fieldset(
            _("求助内容"),
            "token", "employer", Field("employer_name"),
            HTML('<div class="list-group mb-3 employer-suggestions" id="employer-suggestions" role="listbox"></div>'),
            "town_street", "category", "description", "amount_owed",
            HTML('{% include "rights/_pending_files.html" %}'), "attachments",
        )

    def keep_uploads(self, uploads) -> None:
        """Check the files chosen in this post (header only, nothing decoded) and keep them with
        the ones kept before, so that showing the form again (a code step, an error) never
        loses one. Each refused file is named in `upload_errors`, shown on the form."""
        if self.pending is None:
            if uploads:
                self.upload_errors.append(_("页面已过期，请重新选择文件。"))
            return
        room = MAX_ATTACHMENTS - len(self.pending)
        if len(uploads) > room:
            self.upload_errors.append(
                _("最多上传 %(max)d 个材料，以下文件未保留：%(names)s")
                % {"max": MAX_ATTACHMENTS, "names": "、".join(u.name for u in uploads[room:])}
            )
            uploads = uploads[:max(room, 0)]
        checked, errors = documents_check(uploads, already_pixels=self.pending.pixels())
        self.pending.add(checked)
        self.upload_errors.extend(errors)

    def pending_files(self) -> list[dict]:
        return self.pending.items() if self.pending is not None else []

    def documents(self) -> list:
        """Decode and re-encode the kept files. Call only once sign-in or the code is checked.
        A file that fails is dropped from the kept ones and named in the ValidationError."""
        if self.pending is None:
            return []
        documents, errors = [], []
        for handle, item in zip(self.pending.open_files(), self.pending.items(), strict=True):
            with handle:
                try:
                    documents.append(document_clean(handle))
                except ValidationError as exc:
                    errors.append(_("“%(name)s”：%(error)s") % {"name": item["name"], "error": " ".join(exc.messages)})
        if errors:
            raise ValidationError(errors)
        return documents

    def clean_attachments(self):
        return []  # files are kept by keep_uploads() and decoded by documents()

    def clean(self):
        cleaned = super().clean()
        if self.upload_errors:
            self.add_error("attachments", self.upload_errors)
        employer = cleaned.get("employer")
        name = (cleaned.get("employer_name") or "").strip()
        if employer is not None and name and name != employer.name:
            employer = None  # the person typed over the chosen employer
        if employer is None and name:
            employer = Employer.objects.filter(name=name).first()
        cleaned["employer"] = employer
        if employer is None and not name:
            self.add_error("employer_name", _("请填写用人单位。"))
        if employer is None and name and cleaned.get("town_street") is None and self.member is None:
            self.add_error("town_street", _("单位不在名录中，请选择单位所在镇街。"))
        return cleaned


def attachments_help() -> str:
    return _("劳动合同、工资条、聊天记录截图等；图片或 PDF，每个不超过 %(mb)d MB，最多 %(max)d 个。手机原图可直接上传") % {
        "mb": settings.DOCUMENT_MAX_BYTES // (1024 * 1024), "max": MAX_ATTACHMENTS,
    }


class MaterialForm(forms.Form):
    """More material for an open case, added by its worker (append-only)."""

    attachments = MultipleFileField(label=_lazy("补充材料"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_help()
        self.fields["attachments"].error_messages["required"] = _("请选择要补充的文件。")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_attachments(self):
        uploads = self.cleaned_data.get("attachments") or []
        if len(uploads) > MAX_ATTACHMENTS:
            raise ValidationError(_("最多上传 %(max)d 个材料。") % {"max": MAX_ATTACHMENTS})
        checked, errors = documents_check(uploads)
        if errors:
            raise ValidationError(errors)
        return [item.upload for item in checked]


class MemberCaseForm(CaseDetailsForm):
    """The online form for a signed-in member: who they are comes from their member record."""


class WorkerCaseForm(PhoneCodeForm, CaseDetailsForm):
    """The online form for anyone else: name and a phone proven by a one-time code."""

    code_purpose = PhoneCode.Purpose.RIGHTS

    name = forms.CharField(label=_lazy("姓名"), max_length=50)
    phone = PhoneField()
    id_number = DocumentNumberFormField(label=_lazy("身份证号码（选填）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = next(item for item in self.helper.layout if isinstance(item, FieldWithButtons))
        self.helper.layout = Layout(
            Fieldset(_("联系人"), "name", "phone", code, "id_number"),
            self.details_fieldset(),
        )

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_id_number(self):
        number = self.cleaned_data.get("id_number", "")
        if not number.strip():
            return ""
        validate_resident_id(number)
        return normalise_document_number(number)


class StatusForm(PhoneCodeForm):
    """A non-member proves the phone their cases were filed with."""

    code_purpose = PhoneCode.Purpose.STATUS
    phone = PhoneField(label=_lazy("求助时填写的手机号码"))

    def deliver_code(self) -> bool:
        # Same answer whether or not the phone filed a case: no SMS for phones without one.
        return cases_for_phone(self.cleaned_data["phone"]).exists()


# --- admin -----------------------------------------------------------------------------------

class CaseAdminForm(forms.ModelForm):
    """The case change form in admin, with the fields of one move (checked by the service's own
    check, so the admin refuses exactly what the service refuses)."""

    move_to = forms.ChoiceField(label=_lazy("变更状态为"), required=False, choices=[("", "——不变更——"), *Status.choices])
    move_note = forms.CharField(
        label=_lazy("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy("不予受理时为原因（将短信告知职工）"),
    )
    move_internal = forms.BooleanField(label=_lazy("说明仅内部可见"), required=False)
    move_grade = forms.ChoiceField(label=_lazy("案件等级（受理时）"), required=False, choices=[("", "——"), *Grade.choices])
    move_settled = forms.NullBooleanField(
        label=_lazy("回访：问题是否已解决（结案时）"), required=False,
        widget=forms.Select(choices=[("unknown", "——"), ("true", _lazy("已解决")), ("false", _lazy("未解决"))]),
    )
    move_satisfaction = forms.TypedChoiceField(
        label=_lazy("回访：满意度"), required=False, coerce=int, empty_value=None,
        choices=[("", "——")] + [(str(i), f"{i} 分") for i in range(5, 0, -1)],
    )
    move_outcome = forms.ChoiceField(label=_lazy("结案结果"), required=False, choices=[("", "——"), *Outcome.choices])
    move_amount_recovered = AmountFormField(
        label=_lazy("挽回金额（元）"), required=False, max_digits=12, decimal_places=2,
    )

    class Meta:
        model = RightsCase
        fields = "__all__"

    def move_details(self) -> dict:
        data = self.cleaned_data
        return {
            "note": data.get("move_note") or "",
            "grade": data.get("move_grade") or "",
            "outcome": data.get("move_outcome") or "",
            "amount_recovered": data.get("move_amount_recovered"),
            "settled": data.get("move_settled"),
            "satisfaction": data.get("move_satisfaction"),
        }

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("move_to")
        if target and self.instance.pk:
            try:
                case_transition_check(
                    case=self.instance, target=target, actor=getattr(self, "actor", None), **self.move_details()
                )
            except DomainError as exc:
                self.add_error("move_to", exc.message)
        return cleaned


class AttachmentAdminForm(forms.ModelForm):
    """A file staff add to a case: checked by content like the online form's."""

    class Meta:
        model = CaseAttachment
        fields = ["file"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and not getattr(self.instance, "pk", None):
            self.document = document_clean(upload)
        return upload

    def save(self, commit=True):
        document = getattr(self, "document", None)
        if document is not None:
            self.instance.file = document.content
            self.instance.kind = document.kind
            self.instance.content_type = document.content_type
            self.instance.original_name = document.original_name
        return super().save(commit=commit)
