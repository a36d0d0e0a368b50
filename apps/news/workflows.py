"""The article workflow: the department writes and sends for review; 办公室 or 组织部
(permission news.publish_article) publishes, sends back, or withdraws with a reason."""

from django.utils.translation import gettext_lazy as _

from apps.core.workflow import Move, Workflow

from .errors import SendBackReasonMissing, WithdrawReasonMissing
from .models import Status as S

PUBLISH = "news.publish_article"
WRITE = "news.change_article"

ARTICLE_FLOW = Workflow(
    "news.article",
    [
        Move(S.DRAFT, S.REVIEW, permission=WRITE),
        Move(S.REVIEW, S.PUBLISHED, permission=PUBLISH),
        Move(S.REVIEW, S.DRAFT, permission=PUBLISH, requires=("reason",),
             detail_errors={"reason": SendBackReasonMissing}),
        Move(S.PUBLISHED, S.WITHDRAWN, permission=PUBLISH, requires=("reason",),
             detail_errors={"reason": WithdrawReasonMissing}),
        Move(S.WITHDRAWN, S.DRAFT, permission=WRITE),
    ],
    labels={"reason": _("原因")},
    statuses=S,
)

MOVE_LABELS = {
    S.REVIEW: _("送审"),
    S.PUBLISHED: _("审核通过并发布"),
    S.WITHDRAWN: _("撤回（须填原因）"),
}


def move_label(current, target) -> str:
    if target == S.DRAFT:
        return str(_("退回修改（须填原因）") if current == S.REVIEW else _("重新编辑为草稿"))
    return str(MOVE_LABELS[target])
