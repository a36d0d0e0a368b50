"""Domain errors of the aid app, each with the message the person reads (defined once)."""

from django.utils.translation import gettext as _

from apps.core.errors import DomainError


class CampaignClosed(DomainError):
    def __init__(self):
        super().__init__(_("该活动不在申请期内，暂不能申请。"))


class NotEligible(DomainError):
    def __init__(self, why: str):
        super().__init__(_("您不符合该项目的申请条件：%(why)s") % {"why": why})


class DuplicateApplication(DomainError):
    def __init__(self):
        super().__init__(_("您今年已申请过这一救助项目，不能重复申请。"))


class NotEditable(DomainError):
    def __init__(self):
        super().__init__(_("申请已提交，不能再修改；如被退回补充材料，可按退回原因修改后重新提交。"))


class OutsideOwnUnion(DomainError):
    def __init__(self):
        super().__init__(_("只能为本工会的会员申请或审核。"))


class AmountNotPositive(DomainError):
    def __init__(self):
        super().__init__(_("金额必须大于零。"))


class AmountAboveStandard(DomainError):
    def __init__(self, standard):
        super().__init__(_("批准金额不能超过该项目的标准 %(standard)s 元。") % {"standard": standard})


class NoStandard(DomainError):
    def __init__(self):
        super().__init__(_("该项目没有适用于本申请的救助标准，请先在救助标准中设定。"))


class OutOfPocketAboveCost(DomainError):
    def __init__(self):
        super().__init__(_("个人自付金额不能大于医疗总费用。"))


class DatesOutOfOrder(DomainError):
    def __init__(self):
        super().__init__(_("结束日期不能早于开始日期。"))


class SameApprover(DomainError):
    def __init__(self):
        super().__init__(_("复核须由另一名工作人员进行，审批人不能复核自己的审批。"))


class FileClosed(DomainError):
    def __init__(self):
        super().__init__(_("困难职工档案已退档，不能申请仅限档案职工的救助。"))


class FileExists(DomainError):
    def __init__(self):
        super().__init__(_("该职工已有在档（或待审核）的困难职工档案，一人只能建一份档案。"))


class TooManyCauses(DomainError):
    def __init__(self):
        super().__init__(_("次要致困原因最多选三项，且不能与主要原因相同。"))


class RecheckReasonRequired(DomainError):
    def __init__(self):
        super().__init__(_("调整类别或退档须填写复核说明。"))


class NewLevelRequired(DomainError):
    def __init__(self):
        super().__init__(_("调整困难类别须选择新的类别，且与原类别不同。"))


class FileNotOpen(DomainError):
    def __init__(self):
        super().__init__(_("只有在档的档案才能复核。"))


class FileNotProposed(DomainError):
    def __init__(self):
        super().__init__(_("该档案已经认定过，不能重复认定。"))


class HouseholdHasFile(DomainError):
    def __init__(self, other):
        super().__init__(
            _("同一户已有在档的困难职工档案（%(other)s），一户只能建一份档案：请核实后不予建档，或先将另一份档案退档。")
            % {"other": other}
        )


class RefusalReasonRequired(DomainError):
    def __init__(self):
        super().__init__(_("不予建档须填写原因，原因会告知职工。"))


class WithdrawReasonRequired(DomainError):
    def __init__(self):
        super().__init__(_("撤回材料须填写原因，原因会告知申请人。"))


class MissingFacts(DomainError):
    def __init__(self, what: str):
        super().__init__(_("请填写%(what)s。") % {"what": what})


class MissingDocument(DomainError):
    def __init__(self, what: str):
        super().__init__(_("请上传%(what)s。") % {"what": what})


class TooManyDocuments(DomainError):
    def __init__(self, limit: int):
        super().__init__(_("每份申请最多上传 %(max)d 个材料。") % {"max": limit})


class NotNoticeable(DomainError):
    def __init__(self):
        super().__init__(_("所选申请中没有已批准待公示的申请。"))


class PaymentDetailsInvalid(DomainError):
    def __init__(self):
        super().__init__(_("发放日期不能晚于今天。"))


class ProgrammeClosed(DomainError):
    def __init__(self):
        super().__init__(_("该项目不在报名期内。"))


class AlreadyEnrolled(DomainError):
    def __init__(self):
        super().__init__(_("您已报名该项目，不能重复报名。"))


class QuotaNotSet(DomainError):
    def __init__(self):
        super().__init__(_("您所在的单位没有该项目的名额。"))
