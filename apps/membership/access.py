"""Who may see and decide membership matters. Services, pages and admin all ask here.

- The organisation department (组织部) and superusers decide for every union.
- A grassroots officer decides only for the union(s) they act for.
- A member sees only their own transfers and change requests; an applicant without an
  account sees only the join requests of the phone they verified by code.
"""

from django.db.models import Prefetch
from django.http import Http404

from apps.accounts import roles
from apps.orgs.selectors import officer_union_ids

from .errors import NotYourUnion
from .models import JoinRequest, JoinRequestChange, ProfileChangeRequest, Transfer


def sees_all_unions(user) -> bool:
    """Superuser, or the organisation department: every union's membership matters."""
    return bool(user.is_authenticated and (user.is_superuser or roles.user_in_group(user, roles.ORGANISATION)))


def may_decide_for(user, union_id: int | None) -> bool:
    if not user or not user.is_authenticated or not user.is_staff or not user.is_active:
        return False
    if sees_all_unions(user):
        return True
    return union_id is not None and union_id in officer_union_ids(user)


def decider_check(user, union_id: int | None) -> None:
    """Raise NotYourUnion unless `user` may decide a matter of union `union_id`."""
    if not may_decide_for(user, union_id):
        raise NotYourUnion()


def staff_union_scope(user) -> list[int] | None:
    """The unions a staff login is limited to, or None when it sees every union's rows."""
    if sees_all_unions(user):
        return None
    unions = officer_union_ids(user)
    return unions if unions else None


def join_requests_for_phone(phone: str | None):
    """Join requests the holder of `phone` may follow (empty without a verified phone)."""
    if not phone:
        return JoinRequest.objects.none()
    return (
        JoinRequest.objects.filter(phone=phone)
        .select_related("union", "town_street", "employer")
        .prefetch_related(Prefetch("changes", queryset=JoinRequestChange.objects.select_related("to_union")))
        .order_by("-submitted_at")
    )


def transfer_for_member(member, pk: int) -> Transfer:
    """One of the member's own transfers (404 for anyone else's)."""
    transfer = Transfer.objects.select_related("from_union", "to_union").filter(pk=pk).first()
    if transfer is None:
        raise Http404
    if transfer.member_id != member.pk:
        raise Http404
    return transfer


def change_request_for_member(member, pk: int) -> ProfileChangeRequest:
    change = ProfileChangeRequest.objects.filter(pk=pk).first()
    if change is None:
        raise Http404
    if change.member_id != member.pk:
        raise Http404
    return change
