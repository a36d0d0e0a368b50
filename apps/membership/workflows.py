"""The membership workflows as data: every move, who may make it and what it needs.

The services (`join_request_transition`, `transfer_transition`, `profile_change_transition`)
check each move here on the locked row; admin and pages ask `moves_for` for their buttons.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.workflow import Move, Workflow, any_of

from .access import may_decide_for
from .errors import DeclineReasonRequired, ForwardTargetRequired, NotYourUnion
from .models import JOIN_OPEN, ChangeStatus, JoinStatus, TransferStatus


def _decides_join(actor, join_request) -> bool:
    return may_decide_for(actor, join_request.union_id)


def _old_union(actor, transfer) -> bool:
    return may_decide_for(actor, transfer.from_union_id)


def _new_union(actor, transfer) -> bool:
    return may_decide_for(actor, transfer.to_union_id)


def _the_member(actor, request) -> bool:
    member = request.member
    return bool(member.user_id and member.user_id == actor.pk)


def _decides_change(actor, change) -> bool:
    return may_decide_for(actor, change.member.union_id)


_DECLINE = {"note": DeclineReasonRequired}

JOIN_FLOW = Workflow(
    "membership.join",
    [
        Move(JOIN_OPEN, JoinStatus.APPROVED, may=_decides_join, refusal=NotYourUnion),
        Move(JOIN_OPEN, JoinStatus.DECLINED, may=_decides_join, refusal=NotYourUnion, requires=("note",),
             detail_errors=_DECLINE),
        Move(JOIN_OPEN, JoinStatus.FORWARDED, may=_decides_join, refusal=NotYourUnion, requires=("note", "to_union"),
             detail_errors={"note": ForwardTargetRequired, "to_union": ForwardTargetRequired}),
    ],
    labels={"note": _("原因"), "to_union": _("转交的工会")}, statuses=JoinStatus,
)

TRANSFER_FLOW = Workflow(
    "membership.transfer",
    [
        Move(TransferStatus.PENDING_RELEASE, TransferStatus.PENDING_ACCEPT, may=_old_union, refusal=NotYourUnion),
        Move(TransferStatus.PENDING_RELEASE, TransferStatus.DECLINED, may=_old_union, refusal=NotYourUnion,
             requires=("note",), detail_errors=_DECLINE),
        Move(TransferStatus.PENDING_ACCEPT, TransferStatus.COMPLETED, may=_new_union, refusal=NotYourUnion),
        Move(TransferStatus.PENDING_ACCEPT, TransferStatus.DECLINED, may=_new_union, refusal=NotYourUnion,
             requires=("note",), detail_errors=_DECLINE),
        Move((TransferStatus.PENDING_RELEASE, TransferStatus.PENDING_ACCEPT), TransferStatus.CANCELLED,
             may=any_of(_the_member, _old_union), refusal=NotYourUnion),
    ],
    labels={"note": _("原因")}, statuses=TransferStatus,
)

CHANGE_FLOW = Workflow(
    "membership.profile_change",
    [
        Move(ChangeStatus.PENDING, ChangeStatus.APPROVED, may=_decides_change, refusal=NotYourUnion),
        Move(ChangeStatus.PENDING, ChangeStatus.DECLINED, may=_decides_change, refusal=NotYourUnion,
             requires=("note",), detail_errors=_DECLINE),
        Move(ChangeStatus.PENDING, ChangeStatus.CANCELLED, may=_the_member, refusal=NotYourUnion),
    ],
    labels={"note": _("原因")}, statuses=ChangeStatus,
)
