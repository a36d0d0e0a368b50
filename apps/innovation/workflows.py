"""The application workflow as data: the lead drafts and submits; staff with the decide
permission return it (with a reason), put it to review, admit or reject it."""

from django.utils.translation import gettext_lazy as _

from apps.core.workflow import Move, Workflow

from .errors import ReturnReasonRequired
from .models import Status as S


def _is_lead(actor, application) -> bool:
    member = getattr(actor, "member", None)
    return member is not None and member.pk == application.lead_id


DECIDE = "innovation.decide_application"

APPLICATION_FLOW = Workflow(
    "innovation.application",
    [
        Move((S.DRAFT, S.RETURNED), S.SUBMITTED, may=_is_lead),
        Move((S.SUBMITTED, S.REVIEWING), S.RETURNED, permission=DECIDE, requires=("reason",),
             detail_errors={"reason": ReturnReasonRequired}),
        Move((S.SUBMITTED,), S.REVIEWING, permission=DECIDE),
        Move((S.REVIEWING,), S.ADMITTED, permission=DECIDE),
        Move((S.SUBMITTED, S.REVIEWING), S.REJECTED, permission=DECIDE),
    ],
    labels={"reason": _("退回原因")},
    statuses=S,
)
