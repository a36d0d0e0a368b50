"""Refusals of the membership services, each with the message shown to the person."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.workflow import IllegalTransition  # noqa: F401  (re-exported: raised by the *_transition services)


class AlreadyMember(DomainError):
    code = "already_member"
    message = _(
        "该证件号码已是在册会员，无需重复入会。如尚未开通会员账号，请通过“激活会员账号”，"
        "输入证件号码和登记的手机号码，凭短信验证码激活后登录。"
    )


class JoinRequestOpen(DomainError):
    message = _("该证件号码已有一份正在审核的入会申请，请勿重复提交。可在“进度查询”中查看办理进度。")


class PhoneBelongsToMember(DomainError):
    message = _("该手机号已登记在其他会员名下，请更换手机号码，或联系所在工会。")


class NoReceivingUnion(DomainError):
    message = _("所选镇街暂未设立接收入会申请的工会，请联系义乌市总工会组织部（0579-12351）。")


class EmployerRequired(DomainError):
    message = _("请选择或填写工作单位。")


class ConsentRequired(DomainError):
    message = _("请阅读并同意《中国工会章程》后再提交。")


class NotYourUnion(DomainError):
    message = _("该事项不属于您所在工会办理，您无权处理。")


class DeclineReasonRequired(DomainError):
    message = _("请填写未通过的原因，原因将以短信告知申请人。")


class ForwardTargetRequired(DomainError):
    message = _("转交时请选择另一个有效的工会，并填写转交说明。")


class MemberNotActive(DomainError):
    message = _("会籍状态不是“在册”，不能办理转会。")


class TransferOpen(DomainError):
    message = _("已有一份正在办理的转会申请，请等待办结或先撤回。")


class SameUnion(DomainError):
    message = _("新单位与现单位属于同一工会，无需转会，请联系本会工会干部更新工作单位。")


class ProfileChangeOpen(DomainError):
    message = _("已有一份待审核的资料变更申请，请等待审核结果。")


class NothingChanged(DomainError):
    message = _("新填写的内容与现有资料相同，无需变更。")


class DocumentTaken(DomainError):
    message = _("该证件号码已登记在其他会员名下，不能变更为此号码。请先合并重复记录。")


class MergeSameMember(DomainError):
    message = _("不能将会员与其自身合并。")


class MergeConflict(DomainError):
    """A one-to-one or unique record exists on both sides: staff must settle it first."""

    def __init__(self, label: str):
        super().__init__(
            _("两条记录都有“%(label)s”，无法自动合并，请先处理其中一条后再合并。") % {"label": label}
        )


class IdentityNotChecked(DomainError):
    message = _(
        "该证件号码已有会员记录，本次申请使用了新的手机号码：请申请人携身份证件原件到工会现场核验，"
        "核验身份后才能通过。"
    )


class IdentityCheckNotNeeded(DomainError):
    message = _("该入会申请无需核验身份，或已核验。")


class JoinTooManyAttempts(DomainError):
    message = _("今日提交入会申请的次数过多，请明天再试，或携身份证件到所在镇街工会办理。")
