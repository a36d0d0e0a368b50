from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.accounts.forms import PhoneCodeForm, PhoneField
from apps.accounts.models import PhoneCode
from apps.core.uploads import photo_check


class PhoneChangeForm(PhoneCodeForm):
    """A new phone number, proven by a code sent to that new number."""

    code_purpose = PhoneCode.Purpose.PHONE_CHANGE
    phone = PhoneField(label=_("新手机号码"))


class PhotoForm(forms.Form):
    # A plain FileField: photo_clean() gives the precise Chinese reason (fake, oversize, bomb)
    # where ImageField would answer every case with one generic message.
    photo = forms.FileField(
        label=_("证件照"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = _("JPEG、PNG 或 WebP，不超过 %(mb)d MB；手机原图可直接上传，服务器会自动压缩") % {
            "mb": settings.PHOTO_MAX_BYTES // (1024 * 1024)
        }

    def clean_photo(self):
        upload = self.cleaned_data["photo"]
        # Header only (size, format, pixels); the service decodes and downscales it once.
        photo_check(upload)
        upload.seek(0)
        return upload
