from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.forms import PhoneCodeForm, PhoneField
from apps.accounts.models import PhoneCode
from apps.core.uploads import photo_clean


class PhoneChangeForm(PhoneCodeForm):
    """A new phone number, proven by a code sent to that new number."""

    code_purpose = PhoneCode.Purpose.PHONE_CHANGE
    phone = PhoneField(label=_("新手机号码"))


class PhotoForm(forms.Form):
    # A plain FileField: photo_clean() gives the precise Chinese reason (fake, oversize, bomb)
    # where ImageField would answer every case with one generic message.
    photo = forms.FileField(
        label=_("证件照"), help_text=_("JPEG、PNG 或 WebP，不超过 5 MB"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def clean_photo(self):
        upload = self.cleaned_data["photo"]
        photo_clean(upload)  # raises the Chinese message for fake, oversize or bomb files
        upload.seek(0)
        return upload
