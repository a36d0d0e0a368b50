"""Refusals of the news services, each with the message shown to staff."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError


class OnlyDraftsEdited(DomainError):
    message = _("只有草稿可以修改：已送审或已发布的文章请先退回或撤回，再修改并重新送审。")


class WithdrawReasonMissing(DomainError):
    message = _("撤回已发布的文章时请填写撤回原因，原因会记录在案。")


class SendBackReasonMissing(DomainError):
    message = _("退回修改时请写明需要修改的地方。")


class EmptyBody(DomainError):
    message = _("正文过滤后为空：请填写正文（只接受标题、段落、列表、链接、本站上传的图片等）。")
