from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.uploads import photo_clean
from apps.orgs.models import TownStreet

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

    def clean_photo_upload(self):
        upload = self.cleaned_data.get("photo_upload")
        if upload:
            photo_clean(upload)  # raises the Chinese message for a fake, oversize or bomb file
            upload.seek(0)
        return upload
