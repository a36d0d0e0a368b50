"""Forms of the innovation space: parsing and messages only (writes are in services.py)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.core.fields import AmountFormField, CheckedFilesField
from apps.core.validators import MobilePhoneValidator, normalise_phone
from apps.members.models import Member

from .models import Industry, Stage
from .services import MAX_PLANS, TeamMate

MAX_TEAM = 20


class ApplicationForm(forms.Form):
    project_name = forms.CharField(label=_lazy("项目名称"), max_length=100)
    industry = forms.ModelChoiceField(label=_lazy("所属产业"), queryset=Industry.objects.none(),
                                      empty_label=_lazy("——请选择——"))
    stage = forms.ChoiceField(label=_lazy("项目阶段"), choices=Stage.choices)
    summary = forms.CharField(
        label=_lazy("项目简介"), min_length=20, max_length=3000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"min_length": _lazy("请至少用20个字介绍项目。")},
    )
    lead_role = forms.CharField(label=_lazy("您在团队中的分工"), max_length=50, required=False)
    team = forms.CharField(
        label=_lazy("其他团队成员（选填）"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy("每行一位：姓名，分工，手机号（是会员的填写会员手机号）"),
    )
    needs_desk = forms.BooleanField(label=_lazy("需要工位"), required=False, initial=True)
    needs_mentor = forms.BooleanField(label=_lazy("需要创业导师"), required=False)
    needs_funding_advice = forms.BooleanField(label=_lazy("需要融资咨询"), required=False)
    plans = CheckedFilesField(
        label=_lazy("商业计划书"), required=False, max_files=MAX_PLANS,
        error_messages={"too_many": _lazy("商业计划书最多 %(max)d 个文件。")},
        help_text=_lazy("PDF 或图片，每个不超过 10 MB，最多 %(max)d 个；提交时至少需要一份") % {"max": MAX_PLANS},
    )
    publish_consent = forms.BooleanField(label=_lazy("入驻后同意在众创空间展示页公开本项目"), required=False)
    public_summary = forms.CharField(label=_lazy("公开展示的简介（选填）"), max_length=300, required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, call, lead, existing_plans=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.call, self.lead, self.existing_plans = call, lead, existing_plans
        self.fields["industry"].queryset = call.industries.filter(is_active=True)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("项目"), "project_name", "industry", "stage", "summary"),
            Fieldset(_("团队"), "lead_role", "team"),
            Fieldset(_("需求"), "needs_desk", "needs_mentor", "needs_funding_advice"),
            Fieldset(_("材料与公开"), "plans", "publish_consent", "public_summary"),
        )

    def clean_team(self):
        mates, errors = [], []
        lines = [line.strip() for line in (self.cleaned_data.get("team") or "").splitlines() if line.strip()]
        if len(lines) > MAX_TEAM:
            raise ValidationError(_("团队成员最多 %(max)d 位。") % {"max": MAX_TEAM})
        for number, line in enumerate(lines, start=1):
            parts = [p.strip() for p in line.replace("，", ",").replace("、", ",").split(",")]
            name = parts[0][:50]
            role = parts[1][:50] if len(parts) > 1 else ""
            member = None
            if len(parts) > 2 and parts[2]:
                phone = normalise_phone(parts[2])
                try:
                    MobilePhoneValidator()(phone)
                except ValidationError:
                    errors.append(_("第 %(n)d 行的手机号不正确。") % {"n": number})
                    continue
                member = Member.objects.filter(phone=phone).first()
            if not name:
                errors.append(_("第 %(n)d 行缺少姓名。") % {"n": number})
                continue
            mates.append(TeamMate(name=name, role=role, member=member))
        if errors:
            raise ValidationError(errors)
        return mates

    def clean_plans(self):
        plans = self.cleaned_data.get("plans") or []
        if len(plans) + self.existing_plans > MAX_PLANS:
            raise ValidationError(_("商业计划书最多 %(max)d 个文件。") % {"max": MAX_PLANS})
        return plans

    def clean(self):
        cleaned = super().clean()
        if self.errors and self.files.getlist("plans") and "plans" not in self.errors:
            # The files were fine but the page is shown again: say so rather than lose them silently.
            self.add_error("plans", _("页面有需要更正的内容，已选择的文件尚未保存，请更正后重新选择文件。"))
        return cleaned


class ReviewForm(forms.Form):
    """One field per criterion of the call, plus a comment."""

    comment = forms.CharField(label=_lazy("评语"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"c{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name}（0–{criterion.max_score}）", min_value=0, max_value=criterion.max_score,
                max_digits=5, decimal_places=1,
            )

    def scores(self) -> dict:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class ProgressReportForm(forms.Form):
    period = forms.ChoiceField(label=_lazy("报告季度"))
    milestones = forms.CharField(label=_lazy("进展与里程碑"), min_length=5, max_length=3000,
                                 widget=forms.Textarea(attrs={"rows": 4}))
    revenue = AmountFormField(label=_lazy("本季度营业收入（元）"), min_value=0, max_digits=14, decimal_places=2,
                              error_messages={"min_value": _lazy("营业收入不能为负数。")})
    jobs_created = forms.IntegerField(label=_lazy("新增就业岗位"), min_value=0, max_value=100000,
                                      error_messages={"min_value": _lazy("数量不能为负数。")})
    patents = forms.IntegerField(label=_lazy("新获专利"), min_value=0, max_value=10000,
                                 error_messages={"min_value": _lazy("数量不能为负数。")})

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(f"{y}-{q}", _("%(y)d年第%(q)d季度") % {"y": y, "q": q}) for y, q in periods]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_period(self):
        year, quarter = self.cleaned_data["period"].split("-")
        return int(year), int(quarter)


class SearchForm(forms.Form):
    q = forms.CharField(label=_lazy("搜索"), max_length=50, required=False)

    def clean_q(self):
        return (self.cleaned_data.get("q") or "").replace("\x00", "").strip()


def current_year() -> int:
    return timezone.localdate().year
