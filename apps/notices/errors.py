from django.utils.translation import gettext as _

from apps.core.errors import DomainError


class NoticeStillRunning(DomainError):
    def __init__(self, ends_on):
        super().__init__(_("公示期至 %(date)s 结束，公示期内不能作出最终决定。") % {"date": f"{ends_on:%Y-%m-%d}"})


class ObjectionsOpen(DomainError):
    def __init__(self, count: int):
        super().__init__(_("还有 %(count)d 条异议未答复，答复后才能作出最终决定。") % {"count": count})


class NotOnNotice(DomainError):
    def __init__(self):
        super().__init__(_("该记录尚未公示，公示期满后才能作出最终决定。"))


class NoticeClosed(DomainError):
    def __init__(self):
        super().__init__(_("公示已结束，不再受理异议。"))


class AnswerRequired(DomainError):
    def __init__(self):
        super().__init__(_("请填写对异议的答复。"))


class TooManyObjections(DomainError):
    def __init__(self):
        super().__init__(_("提交过于频繁，请稍后再试。"))
