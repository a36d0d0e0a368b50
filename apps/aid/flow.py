"""The application workflow as data: every move, who may make it and what it needs."""

from django.utils.translation import gettext_lazy as _

from apps.core.workflow import Move, Workflow
from apps.orgs.selectors import officer_union_ids

from .models import Status as S


def is_applicant(actor, application) -> bool:
    """The member themselves, an officer of the member's own union or aid-centre staff at the
    counter (applying for them)."""
    from .access import may_act_for

    return may_act_for(actor, application.member)


def is_own_union_officer(actor, application) -> bool:
    """An officer of the union the member belonged to when applying (superusers too)."""
    if getattr(actor, "is_superuser", False):
        return True
    union_id = application.union_id or application.member.union_id
    return union_id is not None and union_id in officer_union_ids(actor)


def is_not_first_approver(actor, application) -> bool:
    return application.first_approver_id != actor.pk


APPROVE = "aid.approve_application"

FLOW = Workflow(
    "aid.application",
    [
        Move((S.DRAFT, S.RETURNED), S.SUBMITTED, may=is_applicant),
        Move(S.SUBMITTED, S.CHECKED, permission="aid.check_application", may=is_own_union_officer),
        Move(S.SUBMITTED, S.RETURNED, permission="aid.check_application", may=is_own_union_officer, requires=("reason",)),
        Move(S.CHECKED, S.RETURNED, permission=APPROVE, requires=("reason",)),
        Move(S.CHECKED, S.APPROVED, permission=APPROVE, requires=("amount",)),
        Move(S.CHECKED, S.REVIEWED, permission=APPROVE, requires=("amount",)),
        Move(S.REVIEWED, S.APPROVED, permission=APPROVE, may=is_not_first_approver),
        Move((S.SUBMITTED, S.CHECKED, S.REVIEWED), S.DECLINED, permission=APPROVE, requires=("reason",)),
        Move(S.APPROVED, S.NOTICED, permission=APPROVE),
        Move(S.NOTICED, S.PAID, permission="aid.pay_application", requires=("paid_method", "paid_on", "paid_reference")),
    ],
    labels={
        "reason": _("原因"), "amount": _("批准金额"), "paid_method": _("发放方式"), "paid_on": _("发放日期"),
        "paid_reference": _("转账或领款凭证号"),
    },
)
