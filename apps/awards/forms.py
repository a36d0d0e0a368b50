import unicodedata

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.uploads import document_clean, photo_clean
from apps.core.validators import normalise_document_number, normalise_phone, validate_mobile_phone
from apps.orgs.models import Employer, TownStreet

from .models import HonourEntry


class RollFilterForm(forms.Form):
    """The search box and the two selects above a roll. Invalid values are simply not applied."""

    q = forms.CharField(
        label=_("搜索"), max_length=50, required=False,
        widget=forms.TextInput(attrs={"placeholder": _("姓名、单位或工会名称"), "type": "search", "class": "form-control"}),
    )
    year = forms.TypedChoiceField(
        label=_("年度"), required=False, coerce=int, empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    town = forms.ModelChoiceField(
        label=_("镇街"), queryset=TownStreet.objects.all(), to_field_name="code", required=False,
        empty_label=_("全部镇街"), widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部年度"))] + [(y, _("%(y)d年度") % {"y": y}) for y in years]

    def filters(self) -> dict:
        """The valid filters, each one on its own: a bad year does not drop the search."""
        self.is_valid()
        data = self.cleaned_data
        return {"q": (data.get("q") or "").strip(), "year": data.get("year"), "town": data.get("town")}


class HonourEntryAdminForm(forms.ModelForm):
    """The entry with a photo upload checked by content (a renamed text file is refused)."""

    photo_upload = forms.FileField(
        label=_("上传照片"), required=False, help_text=_("JPEG、PNG 或 WebP，不超过 5 MB；公开展示"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_remove = forms.BooleanField(label=_("删除现有照片"), required=False)

    class Meta:
        model = HonourEntry
        fields = [
            "programme", "name", "employer", "union", "town_street", "deeds", "is_published", "sort_order",
        ]

    def clean(self):
        data = super().clean()
        programme = data.get("programme")
        if programme is not None and self.instance.pk is None:
            from .services import honour_entry_add_check

            try:
                honour_entry_add_check(programme=programme)
            except DomainError as error:
                raise forms.ValidationError(str(error)) from None
        return data

    def clean_photo_upload(self):
        upload = self.cleaned_data.get("photo_upload")
        if upload:
            photo_clean(upload)  # raises the Chinese message for a fake, oversize or bomb file
            upload.seek(0)
        return upload


def _nfkc(value: str) -> str:
    """What people paste: full-width digits and letters, spaces, dashes."""
    return unicodedata.normalize("NFKC", value or "").strip()


class NominationForm(forms.Form):
    """A nomination draft as the officer types it on a phone or at a desk. Uploads are checked
    by content here (fake, oversize or bomb files get their precise Chinese message)."""

    document_number = forms.CharField(
        label=_("被推荐会员证件号码"), max_length=30, required=False,
        help_text=_("只能推荐本单位工会在册会员"),
    )
    team_name = forms.CharField(label=_("集体名称"), max_length=100, required=False)
    team_employer = forms.ModelChoiceField(label=_("集体所在单位"), queryset=Employer.objects.none(), required=False)
    team_size = forms.IntegerField(label=_("集体人数"), min_value=1, max_value=100000, required=False)
    team_leader = forms.CharField(label=_("负责人"), max_length=50, required=False)
    deeds = forms.CharField(label=_("事迹"), widget=forms.Textarea(attrs={"rows": 8}), max_length=5000, required=False)
    contact_phone = forms.CharField(label=_("推荐人手机号码"), max_length=20,
                                    help_text=_("评审结果将以短信告知此号码"))
    photo = forms.FileField(
        label=_("照片"), required=False, help_text=_("JPEG、PNG 或 WebP，不超过 5 MB；授予后公开展示"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    document = forms.FileField(
        label=_("推荐材料"), required=False, help_text=_("PDF 或图片；可保存后继续添加"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, programme, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        if programme.for_members:
            for name in ("team_name", "team_employer", "team_size", "team_leader"):
                del self.fields[name]
            self.fields["document_number"].required = True
        else:
            del self.fields["document_number"]
            self.fields["team_employer"].queryset = employers
            for name in ("team_name", "team_employer", "team_size", "team_leader"):
                self.fields[name].required = True
        self.fields["deeds"].help_text = _("至少 %(n)d 字；写清先进事迹，公开展示时不含证件号码和电话") % {
            "n": programme.deeds_min_length}
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_document_number(self):
        return normalise_document_number(_nfkc(self.cleaned_data.get("document_number", "")))

    def clean_contact_phone(self):
        phone = normalise_phone(_nfkc(self.cleaned_data.get("contact_phone", "")))
        validate_mobile_phone(phone)
        return phone

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return photo_clean(upload) if upload else None

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        return document_clean(upload) if upload else None


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}))
