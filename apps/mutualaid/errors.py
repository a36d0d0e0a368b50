"""Refusals of the mutual-aid services, each with the message shown to the person."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError


def _day(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


class SchemeLocked(DomainError):
    message = _("该计划已有会员参保或申请，规则不能修改；如需更正，请新建一个版本并注明适用起始日。")


class SchemeMissing(DomainError):
    def __init__(self, year: int):
        super().__init__(_("%(year)d年度没有开放参保的互助保障计划。") % {"year": year})


class SchemeExists(DomainError):
    def __init__(self, year: int):
        super().__init__(_("%(year)d年度的互助保障计划已存在。") % {"year": year})


class VersionDateInvalid(DomainError):
    message = _("新版本的适用起始日应在保障期内，并晚于现行版本的适用起始日。")


class AlreadyEnrolled(DomainError):
    def __init__(self, name: str, year: int):
        super().__init__(_("%(name)s 已参加%(year)d年度互助保障，不能重复参保。") % {"name": name, "year": year})


class MemberNotInUnion(DomainError):
    def __init__(self, name: str):
        super().__init__(_("%(name)s 不是本工会会员，只能为本工会会员办理参保。") % {"name": name})


class MemberNotActive(DomainError):
    def __init__(self, name: str):
        super().__init__(_("%(name)s 的会籍不是在籍状态，不能参保。") % {"name": name})


class NotEnrolled(DomainError):
    message = _("您未参加职工医疗互助保障，不能申请互助金。请联系所在基层工会办理参保。")


class OutsideCover(DomainError):
    def __init__(self, start, end):
        super().__init__(
            _("入院日期不在保障期内（%(start)s至%(end)s）。") % {"start": _day(start), "end": _day(end)}
        )


class InWaitingPeriod(DomainError):
    def __init__(self, last_day):
        super().__init__(
            _("入院日期在首次参保的等待期内（等待期至%(day)s），不能申请。") % {"day": _day(last_day)}
        )


class ClaimTooLate(DomainError):
    def __init__(self, days: int, deadline):
        super().__init__(
            _("已超过申请期限：应在出院后%(days)d天内（%(deadline)s前）申请。")
            % {"days": days, "deadline": _day(deadline)}
        )


class DischargeInFuture(DomainError):
    message = _("出院日期不能晚于今天：请出院后再申请。")


class DatesOutOfOrder(DomainError):
    message = _("出院日期不能早于入院日期。")


class PartsDoNotAddUp(DomainError):
    def __init__(self, total, insurance, own):
        super().__init__(
            _("金额对不上：基本医保支付 %(insurance)s 元加个人自付 %(own)s 元应等于医疗总费用 %(total)s 元。")
            % {"insurance": insurance, "own": own, "total": total}
        )


class NegativeAmount(DomainError):
    message = _("金额不能为负数。")


class StayClaimedTwice(DomainError):
    def __init__(self, number: str):
        super().__init__(
            _("这次住院（日期有重叠）已申请过，申请编号 %(number)s，不能重复申请。") % {"number": number}
        )


class BenefitNotInScheme(DomainError):
    message = _("适用的互助保障计划中没有这一保障项目。")


class BenefitWomenOnly(DomainError):
    message = _("该保障项目仅限女职工申请。")


class FixedItemRequired(DomainError):
    message = _("请选择病种或伤残等级（须为本计划所列项目）。")


class ReceiptsRequired(DomainError):
    message = _("请上传医疗费用票据或诊断证明（图片或 PDF）。")


class TooManyReceipts(DomainError):
    def __init__(self, limit: int):
        super().__init__(_("每件申请最多上传 %(max)d 个票据文件。") % {"max": limit})


class BatchEmpty(DomainError):
    message = _("所选申请中没有已核准、未拨付、未编入批次的申请。")


class BatchAlreadyPaid(DomainError):
    message = _("该批次已登记拨付。")
