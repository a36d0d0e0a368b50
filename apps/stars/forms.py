from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.fields import MultipleFileField
from apps.core.uploads import document_clean
from apps.orgs.models import TownStreet

from . import services
from .models import Criterion, EvaluationScore, StarRating

MAX_FILES_PER_POST = 5


class ScoreForm(forms.Form):
    """One criterion of the self-assessment: score (full-width digits fine), explanation, files."""

    self_score = forms.CharField(
        label=_("自评分"), required=False, max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    self_veto = forms.BooleanField(label=_("本年度存在此否决情形"), required=False)
    explanation = forms.CharField(label=_("自评说明"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    files = MultipleFileField(
        label=_("佐证材料"), required=False, help_text=_("图片或 PDF，每个不超过 10 MB，可多选"),
    )

    def __init__(self, *args, score: EvaluationScore, criterion: Criterion, **kwargs):
        self.score, self.criterion = score, criterion
        initial = {"self_score": "" if score.self_score is None else f"{score.self_score.normalize():f}",  # 12.5, 15
                   "explanation": score.explanation, "self_veto": score.self_veto}
        super().__init__(*args, prefix=f"c{score.pk}", initial=initial, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.fields["self_score"].label = _("自评分（满分 %(max)s）") % {"max": f"{criterion.max_score.normalize():f}"}
        if criterion.is_veto:
            del self.fields["self_score"]
        else:
            del self.fields["self_veto"]
        self.checked = []

    def clean_self_score(self):
        try:
            return services.score_parse(self.cleaned_data["self_score"], criterion=self.criterion)
        except DomainError as error:
            raise ValidationError(error.message) from None

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES_PER_POST:
            raise ValidationError(_("每次每项最多上传 %(n)d 个文件。") % {"n": MAX_FILES_PER_POST})
        if self.score.evidence.count() + len(files) > services.MAX_EVIDENCE_PER_CRITERION:
            raise ValidationError(_("每项细则最多 %(n)d 个佐证材料。") % {"n": services.MAX_EVIDENCE_PER_CRITERION})
        self.checked = [document_clean(f) for f in files]
        return files

    def entry(self, pending) -> services.ScoreInput:
        data = self.cleaned_data
        return services.ScoreInput(
            score_id=self.score.pk, self_score=data.get("self_score"), explanation=data.get("explanation", ""),
            self_veto=bool(data.get("self_veto")), files=[*pending, *self.checked],
        )


class StarFilterForm(forms.Form):
    """The search box and selects of /stars/. Invalid values are simply not applied."""

    q = forms.CharField(
        label=_("搜索"), max_length=50, required=False,
        widget=forms.TextInput(attrs={"placeholder": _("工会名称"), "type": "search"}),
    )
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    town = forms.ModelChoiceField(
        label=_("镇街"), queryset=TownStreet.objects.all(), to_field_name="code", required=False,
        empty_label=_("全部镇街"),
    )
    level = forms.TypedChoiceField(
        label=_("星级"), required=False, coerce=int, empty_value=None,
        choices=[("", _("全部星级")), *StarRating.Level.choices],
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, _("%(y)d年度") % {"y": y}) for y in years]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def filters(self, default_year) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"q": (data.get("q") or "").strip().replace("\x00", ""), "year": data.get("year") or default_year,
                "town": data.get("town"), "level": data.get("level")}
