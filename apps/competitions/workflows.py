"""The proposal review workflow, declared as data (apps.core.workflow)."""

from django.utils.translation import gettext_lazy as _

from apps.core.workflow import Move, Workflow, any_of, has_perm
from apps.orgs.selectors import officer_union_ids

from .errors import BenefitRequired, ReasonRequired
from .models import Proposal

S = Proposal.Status


def officer_of_proposal_union(actor, proposal) -> bool:
    """The employer's union reviews its own members' proposals."""
    return proposal.union_id in officer_union_ids(actor)


may_review = any_of(has_perm("competitions.review_proposal"), officer_of_proposal_union)

PROPOSAL_FLOW = Workflow(
    "competitions.proposal",
    [
        Move(S.SUBMITTED, S.ADOPTED, may=may_review, requires=("benefit",),
             detail_errors={"benefit": BenefitRequired}),
        Move(S.SUBMITTED, S.NOT_ADOPTED, may=may_review, requires=("reason",),
             detail_errors={"reason": ReasonRequired}),
        # a decision reopened on appeal goes back to review
        Move((S.ADOPTED, S.NOT_ADOPTED), S.SUBMITTED, permission="competitions.review_proposal"),
    ],
    labels={"benefit": _("效益（元/年）"), "reason": _("未采纳原因")},
    statuses=S,
)
