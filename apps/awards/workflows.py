"""The nomination workflow as data: who may make each move and what it needs.

draft → submitted (the nominating officer, inside the window and quota) → shortlisted or
rejected (staff) → on notice (staff publish the 公示) → awarded or not awarded (staff, after the
notice period with every objection answered). A draft or a submitted nomination may be
withdrawn by its nominator, giving its quota place back.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.workflow import Move, Workflow
from apps.orgs.selectors import agency_town_ids, officer_union_ids

from .errors import DecisionReasonRequired, NotNominator
from .models import NominationChannel
from .models import NominationStatus as S


def is_nominator(actor, nomination) -> bool:
    """An active officer of the nominating union, or a town/street login of the recommending town."""
    if nomination.channel == NominationChannel.TOWN:
        return nomination.town_street_id in agency_town_ids(actor)
    return nomination.union_id is not None and nomination.union_id in officer_union_ids(actor)


REVIEW = "awards.review_nomination"
DECIDE = "awards.decide_nomination"

NOMINATION_FLOW = Workflow(
    "awards.nomination",
    [
        Move(S.DRAFT, S.SUBMITTED, may=is_nominator, refusal=NotNominator),
        Move((S.DRAFT, S.SUBMITTED), S.WITHDRAWN, may=is_nominator, refusal=NotNominator),
        Move(S.SUBMITTED, S.SHORTLISTED, permission=REVIEW),
        Move(S.SUBMITTED, S.REJECTED, permission=REVIEW, requires=("reason",),
             detail_errors={"reason": DecisionReasonRequired}),
        Move(S.SHORTLISTED, S.ON_NOTICE, permission=REVIEW),
        Move(S.ON_NOTICE, S.AWARDED, permission=DECIDE),
        Move(S.ON_NOTICE, S.NOT_AWARDED, permission=DECIDE, requires=("reason",),
             detail_errors={"reason": DecisionReasonRequired}),
    ],
    labels={"reason": _("原因")},
    statuses=S,
)
