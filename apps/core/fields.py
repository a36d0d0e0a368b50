"""Form and model fields for the numbers people type: phones, document numbers, amounts.

The form fields take the raw input however it was typed or pasted (no HTML `maxlength`, which
would cut `+86 138-0579-1234` short in the browser) and return the normalised value, so every
form, admin screen and model form built on the model fields stores the same spelling. The
model fields are plain CharField/DecimalField columns for migrations: only the form field and
the value saved differ.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import (
    RAW_INPUT_LIMIT,
    normalize_amount,
    normalize_digits,
    normalize_document_number,
    normalize_phone,
    validate_mobile_phone,
)


class _NormalisedCharField(forms.CharField):
    normalize = staticmethod(str)

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)  # the limit applies to the normalised value (validators)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if len(value) > RAW_INPUT_LIMIT:
            raise ValidationError(_("输入的内容过长，请核对。"), code="too_long")
        return self.normalize(value)


class MobilePhoneFormField(_NormalisedCharField):
    """A mainland mobile number in any common spelling, cleaned to 11 digits."""

    normalize = staticmethod(normalize_phone)
    default_validators = [validate_mobile_phone]

    def widget_attrs(self, widget):
        # "tel", not "numeric": the phone keypad has + and - for a pasted number.
        return {**super().widget_attrs(widget), "inputmode": "tel", "autocomplete": "tel"}


class DocumentNumberFormField(_NormalisedCharField):
    """A document number, NFKC-normalised, upper-case, without spaces or dashes; the caller
    validates it for its document type."""

    normalize = staticmethod(normalize_document_number)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "autocomplete": "off", "spellcheck": "false"}


class CodeFormField(_NormalisedCharField):
    """A number of letters and digits such as a membership number: NFKC, upper-case, compact."""

    normalize = staticmethod(normalize_digits)


class AmountFormField(forms.DecimalField):
    """An amount in yuan as typed (`１，２００．５`, `1,200元`): a text box, read after NFKC."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = normalize_amount(value)
        if text in self.empty_values:
            return None
        try:
            return Decimal(text)
        except InvalidOperation as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        return {**attrs, "inputmode": "decimal"}


class _PlainColumnMixin:
    column_path = ""

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, self.column_path, args, kwargs


class _NormalisedColumn(_PlainColumnMixin, models.CharField):
    column_path = "django.db.models.CharField"
    form_class: type[forms.Field] = forms.CharField
    normalize = staticmethod(str)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": self.form_class, **kwargs})

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return self.normalize(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = self.normalize(value)
            setattr(model_instance, self.attname, value)
        return value


class MobilePhoneField(_NormalisedColumn):
    """A phone column: saved and looked up as 11 digits whatever spelling reaches it."""

    form_class = MobilePhoneFormField
    normalize = staticmethod(normalize_phone)


class DocumentNumberField(_NormalisedColumn):
    """A document-number column: saved and looked up normalised (NFKC, upper-case, compact)."""

    form_class = DocumentNumberFormField
    normalize = staticmethod(normalize_document_number)


class CodeField(_NormalisedColumn):
    """A code column (membership number): saved and looked up NFKC, upper-case, compact."""

    form_class = CodeFormField
    normalize = staticmethod(normalize_digits)


class AmountField(_PlainColumnMixin, models.DecimalField):
    """A yuan amount whose form field reads full-width digits and thousands separators."""

    column_path = "django.db.models.DecimalField"

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": AmountFormField, **kwargs})


# -- several files in one input ---------------------------------------------------------------

ACCEPTED_DOCUMENTS = "image/jpeg,image/png,image/webp,application/pdf"  # what document_clean accepts


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to the list of uploads (empty when none was chosen
    and the field is optional). `max_files` refuses more than that many in one submit."""

    default_error_messages = {"too_many": _("最多上传 %(max)d 个文件。")}

    def __init__(self, *, accept: str = ACCEPTED_DOCUMENTS, max_files: int | None = None, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        self.max_files = max_files
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if self.max_files is not None and len(uploads) > self.max_files:
            raise ValidationError(self.error_messages["too_many"], code="too_many", params={"max": self.max_files})
        return [super(MultipleFileField, self).clean(item, initial) for item in uploads]


class CheckedFilesField(MultipleFileField):
    """A MultipleFileField whose files are judged by their content and re-encoded
    (apps.core.uploads.document_clean): cleans to a list of CleanDocument. When some files are
    refused, each is named in the error and those that passed stay in `accepted`, so that the
    view can keep them while the form is shown again."""

    def clean(self, data, initial=None):
        from .uploads import document_clean

        self.accepted = []
        cleaned, errors = [], []
        for upload in super().clean(data, initial):
            try:
                cleaned.append(document_clean(upload))
            except ValidationError as exc:
                errors.append(_("“%(name)s”：%(error)s") % {"name": upload.name, "error": " ".join(exc.messages)})
        self.accepted = cleaned
        if errors:
            raise ValidationError(errors)
        return cleaned
