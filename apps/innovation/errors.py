"""Refusals of the innovation services, each with the message shown to the person."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.limits import LimitExceeded  # noqa: F401  (re-exported: raised by an admission)
from apps.core.workflow import IllegalTransition  # noqa: F401  (re-exported)


class LeadNotMember(DomainError):
    message = _("项目负责人须是本会会员，请先登录会员账户再申请。")


class CallClosed(DomainError):
    message = _("该入驻征集不在申报期内。")


class IndustryNotInCall(DomainError):
    message = _("所选产业不在本次征集的重点产业范围内。")


class ApplicationLocked(DomainError):
    message = _("申请已提交，不能修改；如需修改请等待工作人员退回。")


class PlanRequired(DomainError):
    message = _("提交前请上传商业计划书（PDF 或图片）。")


class ReturnReasonRequired(DomainError):
    message = _("退回修改时请填写原因，原因将告知项目负责人。")


class ReviewerConflicted(DomainError):
    message = _("评审人与申请团队属同一单位，须回避，不能评审该申请。")


class NotAReviewer(DomainError):
    message = _("您不是该申请的评审人。")


class ReviewAlreadySubmitted(DomainError):
    message = _("评分已提交，不能再修改。")


class ScoreOutOfRange(DomainError):
    def __init__(self, name, maximum):
        super().__init__(_("“%(name)s”的得分须在 0 到 %(max)s 之间。") % {"name": name, "max": maximum})


class ScoreMissing(DomainError):
    def __init__(self, name):
        super().__init__(_("请为“%(name)s”打分。") % {"name": name})


class ResidencyDatesOutOfOrder(DomainError):
    message = _("入驻到期日期须晚于入驻日期。")


class PlaceTaken(DomainError):
    message = _("该工位/房间已有在驻团队。")


class NotResident(DomainError):
    message = _("该团队已离开众创空间。")


class ReportExists(DomainError):
    message = _("本季度的进展报告已填报。")


class ReportQuarterInvalid(DomainError):
    message = _("只能填报入驻期内已开始的季度。")


class NegativeAmount(DomainError):
    message = _("金额和数量不能为负数。")


class NothingToNotice(DomainError):
    message = _("本次征集没有尚未公示的已入驻项目，无需发布公示。")
