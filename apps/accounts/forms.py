"""Forms of accounts, and the phone + one-time-code pair every phone-verified form uses."""

from crispy_forms.bootstrap import FieldWithButtons, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.core.fields import DocumentNumberFormField, MobilePhoneFormField
from apps.core.masking import mask_phone
from apps.core.validators import normalize_phone

from .errors import ClaimRefused, CodeError
from .otp import client_ip, phone_code_send, phone_code_verify

SEND_CODE = "send_code"


class PhoneField(MobilePhoneFormField):
    """The phone box of every public form: any common spelling, cleaned to 11 digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _lazy("手机号码"))
        super().__init__(**kwargs)


class PhoneCodeForm(forms.Form):
    """A form that proves the person holds `phone` with a one-time code (purpose: code_purpose).

    The "获取验证码" button posts the form with SEND_CODE; the view calls `send_code()` and shows
    the form again. On a normal submit the code is checked last, only when every other field is
    valid, so a typo elsewhere does not burn the code.
    """

    code_purpose: str = ""
    phone_field_name = "phone"

    code = forms.CharField(
        label=_lazy("短信验证码"), max_length=6, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        layout = []
        for name in self.fields:
            if name == "code":
                continue
            layout.append(Field(name))
            if name == self.phone_field_name:
                layout.append(
                    FieldWithButtons(
                        "code",
                        StrictButton(
                            _("获取验证码"), type="submit", name=SEND_CODE, value="1",
                            css_class="btn-outline-primary", formnovalidate="formnovalidate",
                        ),
                    )
                )
        self.helper.layout = Layout(*layout)

    send_code_fields: list[str] = []  # fields validated before a code is sent (besides the phone)

    def code_phone(self) -> str:
        """The phone the code goes to (the field's value; a subclass may use the phone on file)."""
        return self.cleaned_data.get(self.phone_field_name, "")

    def precondition(self) -> None:
        """Hook: raise ValidationError when no code may be sent or checked (e.g. no such member).
        Runs before a code is sent and again before a code is checked."""

    def deliver_code(self) -> bool:
        """Hook: False to answer as if a code was sent without sending one (no enumeration)."""
        return True

    def send_code(self, request) -> bool:
        """Validate only what sending needs and send a code. True when the person was told so."""
        names = [n for n in self.send_code_fields if n != self.phone_field_name] + [self.phone_field_name]
        self.cleaned_data = {}
        self._errors = {}
        for name in names:
            field = self.fields[name]
            try:
                value = field.clean(self.data.get(self.add_prefix(name), ""))
                self.cleaned_data[name] = value
                clean_method = getattr(self, f"clean_{name}", None)
                if clean_method is not None:
                    self.cleaned_data[name] = clean_method()
            except ValidationError as exc:
                self._errors[name] = self.error_class(exc.messages)
        if self._errors:
            return False
        try:
            self.precondition()
            phone_code_send(
                phone=self.code_phone(), purpose=self.code_purpose, client_ip=client_ip(request),
                deliver=self.deliver_code(),
            )
        except CodeError as exc:
            self._errors = {self.phone_field_name: self.error_class([exc.message])}
            return False
        except ValidationError as exc:
            self._errors = {NON_FIELD_ERRORS: self.error_class(exc.messages)}
            return False
        messages.success(
            request, _("验证码已发送至 %(phone)s，5分钟内有效。") % {"phone": mask_phone(self.code_phone())}
        )
        return True

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.precondition()
        except ValidationError as exc:
            self.add_error(None, exc)
            return cleaned
        if not cleaned.get("code"):
            self.add_error("code", _("请输入短信验证码。"))
            return cleaned
        try:
            phone_code_verify(phone=self.code_phone(), purpose=self.code_purpose, code=cleaned["code"])
        except CodeError as exc:
            self.add_error("code", exc.message)
        return cleaned


class LoginCodeForm(PhoneCodeForm):
    """Sign in with phone + SMS code. No code leaves for a phone without an account, and the
    page says the same either way, so the form does not tell who is registered."""

    code_purpose = "login"
    phone = PhoneField()

    def deliver_code(self) -> bool:
        from apps.members.models import Member

        return Member.objects.filter(phone=self.cleaned_data["phone"], user__is_active=True).exists()


class PasswordLoginForm(forms.Form):
    """Members sign in with the phone on file, in any spelling; the internal login name and
    staff usernames are refused here (staff sign in at the admin)."""

    username = forms.CharField(label=_lazy("手机号码"), max_length=150)
    password = forms.CharField(label=_lazy("密码"), widget=forms.PasswordInput)

    def clean_username(self):
        phone = normalize_phone(self.cleaned_data["username"])
        if len(phone) != 11 or not phone.isdigit():
            raise ValidationError(_("请输入注册时的手机号码。工作人员请从管理后台登录。"), code="not_a_phone")
        return phone


class ClaimForm(PhoneCodeForm):
    """Activate an account: document + phone must match a member, then the code sent to the
    phone on file proves the person holds it."""

    code_purpose = "claim"
    send_code_fields = ["document_type", "document_number", "phone"]

    document_type = forms.ChoiceField(label=_lazy("证件类型"))
    document_number = DocumentNumberFormField(label=_lazy("证件号码"))
    phone = PhoneField(label=_lazy("登记的手机号码"))

    def __init__(self, *args, **kwargs):
        from apps.members.models import DocumentType

        super().__init__(*args, **kwargs)
        self.fields["document_type"].choices = DocumentType.choices
        self.fields["document_type"].initial = DocumentType.RESIDENT_ID

    def clean_document_number(self):
        from apps.members.models import document_validate

        return document_validate(self.cleaned_data.get("document_type", ""), self.cleaned_data["document_number"])

    def precondition(self):
        from apps.members.services import member_claim

        try:
            self.claimed = member_claim(
                document_type=self.cleaned_data["document_type"],
                document_number=self.cleaned_data["document_number"],
                phone=self.cleaned_data["phone"],
            )
        except ClaimRefused as exc:
            raise ValidationError(exc.message) from exc


class PasswordResetForm(PhoneCodeForm):
    code_purpose = "password_reset"
    phone = PhoneField()
    new_password1 = forms.CharField(label=_lazy("新密码"), widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_lazy("再次输入新密码"), widget=forms.PasswordInput)

    def deliver_code(self) -> bool:
        from apps.members.models import Member

        return Member.objects.filter(phone=self.cleaned_data["phone"], user__is_active=True).exists()

    def clean_new_password2(self):
        from django.contrib.auth import password_validation

        first = self.cleaned_data.get("new_password1")
        second = self.cleaned_data.get("new_password2")
        if first and second and first != second:
            raise ValidationError(_("两次输入的密码不一致。"))
        password_validation.validate_password(second)
        return second
