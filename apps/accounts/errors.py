from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError


class CodeError(DomainError):
    """Base of refusals around one-time phone codes."""


class CodeSentTooRecently(CodeError):
    message = _("验证码发送过于频繁，请1分钟后再试。")


class CodeDailyLimit(CodeError):
    message = _("该手机号今日获取验证码次数已达上限（10次），请明天再试。")


class CodeAddressLimit(CodeError):
    message = _("当前网络获取验证码过于频繁，请稍后再试。")


class CodeMissing(CodeError):
    message = _("请先获取短信验证码。")


class CodeExpired(CodeError):
    message = _("验证码已过期，请重新获取。")


class CodeTooManyTries(CodeError):
    message = _("验证码错误次数过多，请重新获取验证码。")


class CodeWrong(CodeError):
    message = _("验证码不正确。")


class ClaimRefused(DomainError):
    message = _("证件号码与手机号码不匹配，或该会员已激活账号。请核对后重试，或联系所在工会。")
