"""Refusals of the rights services, each with the message shown to the person."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.workflow import IllegalTransition  # noqa: F401  (re-exported: raised by case_transition)


class GradeRequired(DomainError):
    message = _("受理时请评定案件等级（一般、疑难或重大复杂）。")


class DeclineReasonRequired(DomainError):
    message = _("不予受理时请填写原因，原因将以短信告知职工。")


class OutcomeRequired(DomainError):
    message = _("结案时请选择结案结果。")


class RecoveredAmountRequired(DomainError):
    message = _("结案时请填写挽回金额（没有挽回金额请填 0）。")


class RecoveredAmountNegative(DomainError):
    message = _("挽回金额不能为负数。")


class ReturnVisitRequired(DomainError):
    message = _("结案前请记录回访结果：职工反映问题是否已解决。")


class SatisfactionOutOfRange(DomainError):
    message = _("满意度应为 1 至 5 分。")


class NoteRequired(DomainError):
    message = _("请填写说明。")


class TooManyAttachments(DomainError):
    message = _("每件案件最多上传 %(max)d 个材料。")

    def __init__(self, limit: int):
        super().__init__(self.message % {"max": limit})


class CampaignExists(DomainError):
    message = _("该年度的监督四季行活动已存在。")


class CaseNotOpen(DomainError):
    message = _("案件已办结，不能再补充材料；如有新情况请重新提交求助。")


class SubmitTooOften(DomainError):
    message = _("提交过于频繁，请一小时后再试，或拨打职工维权热线 12351。")
