"""The case workflow as data: the moves of `models.TRANSITIONS`, who may make them (rights
staff who may see cases, with the change permission) and what each needs."""

from django.utils.translation import gettext_lazy as _

from apps.core.workflow import Move, Workflow

from .access import staff_may_see_cases
from .errors import (
    DeclineReasonRequired,
    GradeRequired,
    OutcomeRequired,
    RecoveredAmountRequired,
    ReturnVisitRequired,
)
from .models import TRANSITIONS, Status

_NEEDS = {
    Status.ACCEPTED: {"grade": GradeRequired},
    Status.DECLINED: {"note": DeclineReasonRequired},
    Status.CLOSED: {"settled": ReturnVisitRequired, "outcome": OutcomeRequired, "amount_recovered": RecoveredAmountRequired},
}


def _rights_staff(actor, case) -> bool:
    return staff_may_see_cases(actor)


def _moves() -> list[Move]:
    targets = sorted({t for ts in TRANSITIONS.values() for t in ts})
    return [
        Move(
            tuple(s for s, ts in TRANSITIONS.items() if target in ts), target,
            permission="rights.change_rightscase", may=_rights_staff,
            requires=tuple(_NEEDS.get(target, {})), detail_errors=_NEEDS.get(target, {}),
        )
        for target in targets
    ]


CASE_FLOW = Workflow(
    "rights.case", _moves(), statuses=Status,
    labels={"grade": _("案件等级"), "note": _("原因"), "settled": _("回访结果"), "outcome": _("结案结果"),
            "amount_recovered": _("挽回金额")},
)
