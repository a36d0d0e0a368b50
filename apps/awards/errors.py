"""Refusals of the award services, each with the message shown to the person."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.workflow import IllegalTransition  # noqa: F401  (re-exported: raised by nomination_transition)


class WindowClosed(DomainError):
    message = _("不在本项目的推荐时间内，不能提交推荐。")


class NotNominator(DomainError):
    message = _("只能推荐本单位工会（或本镇街）的会员和集体。")


class NotAMember(DomainError):
    message = _("未找到该会员：只有在册的工会会员才能被推荐参加此项评选。")


class MemberAwardNeedsMember(DomainError):
    message = _("此项评选推荐的是个人，请填写被推荐会员。")


class TeamAwardNeedsTeam(DomainError):
    message = _("此项评选推荐的是集体，请填写集体名称、所在单位、人数和负责人。")


class DeedsTooShort(DomainError):
    def __init__(self, minimum: int, actual: int):
        super().__init__(_("事迹至少 %(min)d 字，目前 %(n)d 字。") % {"min": minimum, "n": actual})


class PhotoRequired(DomainError):
    message = _("请上传被推荐对象的照片。")


class DocumentsRequired(DomainError):
    message = _("请上传本项目所需的推荐材料。")


class AlreadyNominated(DomainError):
    message = _("该会员已被推荐参加本项目。")


class DecisionReasonRequired(DomainError):
    message = _("请填写原因。")


class ManualEntryRefused(DomainError):
    message = _("该评选项目的荣誉榜由推荐、评审、公示后的授予决定产生，不能直接添加条目。")


class NothingToNotice(DomainError):
    message = _("没有已入围的推荐对象，无法发布公示。")


class FileNotWithdrawable(DomainError):
    message = _("推荐已提交，材料不能再由推荐单位撤回；如需更正请联系市总工会工作人员。")
