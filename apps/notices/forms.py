from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NoticeItem


class ObjectionForm(forms.Form):
    item = forms.ModelChoiceField(
        label=_("针对"), queryset=NoticeItem.objects.none(), required=False, empty_label=_("整个公示"),
    )
    content = forms.CharField(
        label=_("异议内容"), min_length=10, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("请写明事实和理由，至少 10 个字。"),
    )
    contact = forms.CharField(
        label=_("联系方式"), max_length=100, help_text=_("手机、电话或电子邮箱，只用于工作人员联系您核实，不会公开。"),
    )

    def __init__(self, *args, notice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = notice.items.all()
        self.fields["item"].label_from_instance = lambda item: item.display_name
