"""The evaluation workflow as data: who may make each move and what it needs.

draft/returned --officer of the union--> submitted --组织部--> returned (reason) | reviewed
reviewed --组织部--> returned (reason) | published;  published --组织部--> published (a lower
level, with a reason: 降星) | withdrawn (reason: 摘星).
"""

from django.utils.translation import gettext_lazy as _

from apps.core.workflow import Move, Workflow
from apps.orgs.selectors import officer_union_ids

from .errors import NotYourUnion, ReasonRequired
from .models import EvaluationStatus as S


def own_union_officer(actor, evaluation) -> bool:
    return evaluation.union_id in officer_union_ids(actor)


REVIEW = "stars.review_evaluation"
PUBLISH = "stars.publish_evaluation"
_REASON = {"reason": ReasonRequired}

EVALUATION_FLOW = Workflow(
    "stars.evaluation",
    [
        Move([S.DRAFT, S.RETURNED], S.SUBMITTED, may=own_union_officer, refusal=NotYourUnion),
        Move([S.SUBMITTED, S.REVIEWED], S.RETURNED, permission=REVIEW, requires=("reason",), detail_errors=_REASON),
        Move([S.SUBMITTED], S.REVIEWED, permission=REVIEW),
        Move([S.REVIEWED], S.PUBLISHED, permission=PUBLISH),
        Move([S.PUBLISHED], S.PUBLISHED, permission=PUBLISH, requires=("reason", "level"), detail_errors=_REASON),
        Move([S.PUBLISHED], S.WITHDRAWN, permission=PUBLISH, requires=("reason",), detail_errors=_REASON),
    ],
    statuses=S,
    labels={"reason": _("原因"), "level": _("新的星级")},
)
