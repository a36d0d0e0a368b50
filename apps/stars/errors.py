"""Refusals of the star-rating services, each with the message shown to the person."""

from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError
from apps.core.workflow import IllegalTransition  # noqa: F401  (re-exported: raised by evaluation_transition)


class NotYourUnion(DomainError):
    message = _("只能填报、提交本单位工会的星级自评。")


class DeadlinePassed(DomainError):
    message = _("本年度星级自评已于 %(deadline)s 截止，不能再提交。")

    def __init__(self, deadline):
        super().__init__(self.message % {"deadline": f"{deadline:%Y-%m-%d}"})


class NotEditable(DomainError):
    message = _("自评已提交，不能再修改；如需修改，请联系组织部退回。")


class SelfScoresMissing(DomainError):
    message = _("还有 %(n)d 项细则未自评打分，请填完再提交。")

    def __init__(self, n):
        super().__init__(self.message % {"n": n})


class ReviewScoresMissing(DomainError):
    message = _("还有 %(n)d 项细则未评审打分。")

    def __init__(self, n):
        super().__init__(self.message % {"n": n})


class NotReviewed(DomainError):
    message = _("未评审的申报不能公布。")


class ReasonRequired(DomainError):
    message = _("请填写原因。")


class LevelNotLower(DomainError):
    message = _("降星时新的星级必须低于现有星级；要取消星级请用“摘星”。")


class DemonstrationNeedsFiveStars(DomainError):
    message = _("只有五星级工会才能命名为五星级示范工会。")


class DemonstrationDateRequired(DomainError):
    message = _("命名五星级示范工会时请填写命名决定日期。")


class NoRubric(DomainError):
    message = _("本年度的星级评定标准尚未发布。")


class ScoreInvalid(DomainError):
    message = _("分数须为数字。")


class ScoreOutOfRange(DomainError):
    message = _("“%(title)s”的分数应在 0 到 %(max)s 之间。")

    def __init__(self, title, maximum):
        super().__init__(self.message % {"title": title, "max": maximum})


class ThresholdsInvalid(DomainError):
    """The thresholds overlap, leave a gap or repeat a level (the message says which)."""


class RubricInUse(DomainError):
    message = _("该评定标准已有工会使用，不能修改细则和分数线；请“复制为新版本”后修改。")
