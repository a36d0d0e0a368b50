"""Counselling's domain errors, each with its message for the person, defined once."""

from django.utils.translation import gettext as _

from apps.core.errors import DomainError


class SlotTimesInvalid(DomainError):
    def __init__(self):
        super().__init__(_("结束时间必须晚于开始时间。"))


class SlotInPast(DomainError):
    def __init__(self):
        super().__init__(_("不能发布已经过去的时段。"))


class SlotOutsideHours(DomainError):
    def __init__(self, day):
        super().__init__(_("%(day)s 不在工作室的开放时间内。") % {"day": f"{day:%Y-%m-%d %H:%M}"})


class SlotOnHoliday(DomainError):
    def __init__(self, day):
        super().__init__(_("%(day)s 是法定节假日，不能发布时段。") % {"day": f"{day:%Y-%m-%d}"})


class SlotOverlaps(DomainError):
    def __init__(self, day):
        super().__init__(_("%(day)s 与该咨询师已有的时段重叠。") % {"day": f"{day:%Y-%m-%d %H:%M}"})


class PatternInvalid(DomainError):
    def __init__(self):
        super().__init__(_("请填写正确的日期范围（结束日期不早于开始日期，最长一年）并至少选择一个星期几。"))


class CounsellorNotAtStudio(DomainError):
    def __init__(self):
        super().__init__(_("该咨询师不在这个工作室服务。"))


class SlotTaken(DomainError):
    def __init__(self):
        super().__init__(_("这个时段已经被预约了，请选择其他时段。"))


class SlotNotBookable(DomainError):
    def __init__(self):
        super().__init__(_("这个时段已经开始、已撤下或不可预约。"))


class TooManyUpcoming(DomainError):
    def __init__(self):
        super().__init__(_("您已有一次尚未进行的预约，请先完成或取消后再预约。"))


class CancelTooLate(DomainError):
    def __init__(self, hours):
        super().__init__(_("距咨询开始已不足 %(hours)s 小时，不能在线取消，请致电工作室。") % {"hours": hours})


class NotesForbidden(DomainError):
    def __init__(self):
        super().__init__(_("只有本次咨询的咨询师和心理咨询督导可以查看或填写保密笔记。"))


class ClearingNoteRequired(DomainError):
    def __init__(self):
        super().__init__(_("解除危机预警须由督导填写说明。"))


class NotASupervisor(DomainError):
    def __init__(self):
        super().__init__(_("只有心理咨询督导可以解除危机预警。"))


class ContactInvalid(DomainError):
    def __init__(self):
        super().__init__(_("请填写正确的联系方式。"))


class AlreadyRecorded(DomainError):
    def __init__(self):
        super().__init__(_("这次预约已经记录过了。"))


class TopicsRequired(DomainError):
    def __init__(self):
        super().__init__(_("请至少选择一个主题类别。"))
