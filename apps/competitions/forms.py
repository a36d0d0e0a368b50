"""Forms: parsing and messages, no writes."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.fields import MultipleFileField
from apps.members.models import Member

from .models import CertificateLevel, Proposal
from .services import proposal_upload_clean

MAX_ATTACHMENTS = 5


class RegistrationForm(forms.Form):
    certificate_level = forms.TypedChoiceField(
        label=_("本工种职业资格（技能等级）证书"), choices=CertificateLevel.choices, coerce=int,
        initial=CertificateLevel.NONE,
    )
    confirm = forms.BooleanField(label=_("我确认所填信息真实，并遵守竞赛规则"))


class BulkRegistrationForm(forms.Form):
    file = forms.FileField(label=_("报名名单（Excel .xlsx 或 CSV）"),
                           help_text=_("需有“证件号码（身份证号）”列，可含“姓名”“证书等级”列；表头上方可有标题行；"
                                       "有一行出错则整表不导入。"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(_("文件过大：不能超过 5 MB。"))
        return upload


class ProposalForm(forms.ModelForm):
    co_author_numbers = forms.CharField(
        label=_("合作者会员号（选填）"), required=False, max_length=200,
        help_text=_("多个会员号用逗号或空格分开。"),
    )
    files = MultipleFileField(label=_("附件（图片或 PDF，最多 5 个，选填）"), required=False)

    class Meta:
        model = Proposal
        fields = ["kind", "title", "problem", "proposal", "expected_benefit", "consent_public"]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 3}),
            "proposal": forms.Textarea(attrs={"rows": 5}),
            "expected_benefit": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"consent_public": _("采纳后同意在网站上公开标题和作者姓名")}

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_co_author_numbers(self):
        text = unicodedata.normalize("NFKC", self.cleaned_data["co_author_numbers"] or "")
        numbers = [n.strip().upper() for n in text.replace(",", " ").replace("、", " ").split() if n.strip()]
        if len(numbers) > 10:
            raise ValidationError(_("合作者最多 10 人。"))
        found = {m.membership_number: m for m in Member.objects.filter(
            membership_number__in=numbers, status=Member.Status.ACTIVE)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise ValidationError(_("没有找到会员号为 %(numbers)s 的在册会员。") % {"numbers": "、".join(missing)})
        return [found[n] for n in dict.fromkeys(numbers)]

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(_("附件最多 %(n)d 个。") % {"n": MAX_ATTACHMENTS})
        return [proposal_upload_clean(f) for f in files]


class ProposalReviewForm(forms.Form):
    """The admin's review form: adopted with benefit and award, or not adopted with a reason."""

    decision = forms.ChoiceField(label=_("评审结论"), choices=[
        (Proposal.Status.ADOPTED, _("采纳")), (Proposal.Status.NOT_ADOPTED, _("不采纳"))])
    benefit = forms.DecimalField(label=_("效益（元/年）"), required=False, min_value=0, max_digits=14, decimal_places=2)
    benefit_measured = forms.BooleanField(label=_("效益为实测（不勾选为估算）"), required=False)
    award_amount = forms.DecimalField(label=_("奖励金额（元）"), required=False, min_value=0, max_digits=12,
                                      decimal_places=2)
    reason = forms.CharField(label=_("未采纳原因"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
