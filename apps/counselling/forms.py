"""Forms of counselling: parsing and messages only; services write."""

import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import errors
from .models import AnonymousRequest, Counsellor, Mode, OpeningHours, Studio, Topic
from .services import contact_normalise


class BookingForm(forms.Form):
    topic = forms.ChoiceField(label=_("想聊的主题"), choices=Topic.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("简单说明（可不填，仅咨询师可见）"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class AnonymousRequestForm(forms.Form):
    contact_kind = forms.ChoiceField(label=_("怎么联系您"), choices=AnonymousRequest.ContactKind.choices,
                                     initial=AnonymousRequest.ContactKind.PHONE)
    contact = forms.CharField(label=_("电话号码、微信号或邮箱"), max_length=100)
    topic = forms.ChoiceField(label=_("想聊的主题（可不选）"), required=False,
                              choices=[("", _("不说明"))] + list(Topic.choices))
    call_time = forms.CharField(label=_("方便接听的时间（可不填）"), required=False, max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        if data.get("contact_kind") and data.get("contact"):
            try:
                data["contact"] = contact_normalise(kind=data["contact_kind"], contact=data["contact"])
            except errors.ContactInvalid as exc:
                self.add_error("contact", exc.message)
        return data


class WeeklyPatternForm(forms.Form):
    """Admin: the same slot every chosen weekday between two dates."""

    counsellor = forms.ModelChoiceField(label=_("咨询师"), queryset=Counsellor.objects.filter(is_active=True))
    studio = forms.ModelChoiceField(label=_("工作室"), queryset=Studio.objects.filter(is_active=True))
    mode = forms.ChoiceField(label=_("方式"), choices=Mode.choices)
    first_day = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    weekdays = forms.TypedMultipleChoiceField(label=_("星期"), choices=OpeningHours.Weekday.choices, coerce=int,
                                              widget=forms.CheckboxSelectMultiple)
    start = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(label=_("时长（分钟）"), min_value=15, max_value=240, initial=50)

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last:
            if last < first:
                raise forms.ValidationError(_("结束日期不能早于开始日期。"))
            if (last - first).days > 366:
                raise forms.ValidationError(_("一次最多发布一年的时段。"))
            if first < timezone.localdate():
                raise forms.ValidationError(_("开始日期不能早于今天。"))
        return data


def parse_month(value: str) -> datetime.date | None:
    try:
        day = datetime.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None
