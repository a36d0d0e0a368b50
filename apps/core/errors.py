"""Base of domain errors: each carries a translated message meant for the person."""

from django.utils.translation import gettext as _


class DomainError(Exception):
    message = ""

    def __init__(self, message: str | None = None):
        self.message = str(message if message is not None else self.message)
        super().__init__(self.message)

    def __str__(self):
        return self.message


class EvidenceIsKept(DomainError):
    def __init__(self):
        super().__init__(_("证明材料不能删除，只能注明原因后撤回。"))


class WithdrawReasonRequired(DomainError):
    def __init__(self):
        super().__init__(_("请填写撤回原因。"))
