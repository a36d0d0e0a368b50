from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError


class PhoneTaken(DomainError):
    message = _("该手机号已被其他会员使用，请更换号码或联系所在工会。")


class MemberNotActive(DomainError):
    message = _("会籍状态不是“在册”，不能办理此业务。")
