"""Domain errors of competitions and proposals, each with its message for the person."""

from django.utils.translation import gettext as _

from apps.core.errors import DomainError


class NotInGoodStanding(DomainError):
    def __init__(self):
        super().__init__(_("只有会籍正常的在册会员才能报名。"))


class RegistrationClosed(DomainError):
    def __init__(self, opens, closes):
        super().__init__(_("本项目的报名时间为 %(opens)s 至 %(closes)s，现在不在报名时间内。")
                         % {"opens": f"{opens:%Y-%m-%d}", "closes": f"{closes:%Y-%m-%d}"})


class AgeUnknown(DomainError):
    def __init__(self):
        super().__init__(_("本项目有年龄要求，您的会员资料中没有出生日期，请先到“个人资料”补充。"))


class AgeOutOfRange(DomainError):
    def __init__(self, age, low, high):
        if low is not None and high is not None:
            rule = _("%(low)s 至 %(high)s 周岁") % {"low": low, "high": high}
        elif low is not None:
            rule = _("年满 %(low)s 周岁") % {"low": low}
        else:
            rule = _("不超过 %(high)s 周岁") % {"high": high}
        super().__init__(_("本项目要求参赛者比赛当日%(rule)s，您届时 %(age)s 周岁。") % {"rule": rule, "age": age})


class CertificateTooLow(DomainError):
    def __init__(self, required_label):
        super().__init__(_("本项目要求持有“%(level)s”或更高等级的职业资格（技能等级）证书。") % {"level": required_label})


class OneEventOnly(DomainError):
    def __init__(self, other):
        super().__init__(_("本竞赛每人限报一个项目，您已报名“%(other)s”。") % {"other": other})


class AlreadyRegistered(DomainError):
    def __init__(self):
        super().__init__(_("您已报名本项目（或已在候补名单中），无需重复报名。"))


class EventFull(DomainError):
    def __init__(self):
        super().__init__(_("本项目名额已满。您可以加入候补名单，有名额空出时按先后顺序递补并短信通知您。"))


class WithdrawalClosed(DomainError):
    def __init__(self):
        super().__init__(_("报名已截止，不能再退出；如有特殊情况请联系主办方。"))


class NotWithdrawable(DomainError):
    def __init__(self):
        super().__init__(_("这条报名已经退出。"))


class ResultsNotComputed(DomainError):
    def __init__(self):
        super().__init__(_("还没有可排名的成绩：请先录入各环节成绩。"))


class ResultsAlreadyPublished(DomainError):
    def __init__(self):
        super().__init__(_("成绩已公布，不能再重新计算。"))


class ScoreOverFullMarks(DomainError):
    def __init__(self, full_marks):
        super().__init__(_("得分不能超过该环节满分 %(full)s 分。") % {"full": full_marks})


class CoAuthorUnknown(DomainError):
    def __init__(self, number):
        super().__init__(_("没有找到会员号为“%(number)s”的在册会员。") % {"number": number})


class ReasonRequired(DomainError):
    def __init__(self):
        super().__init__(_("不采纳时请填写原因。"))


class BenefitRequired(DomainError):
    def __init__(self):
        super().__init__(_("采纳时请填写效益（元/年）。"))
