"""The only ways views fetch a member's personal data: each returns it or raises 404/403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.orgs.selectors import in_scope, scope_filter, scope_q

from .models import Member


def member_for_user(user) -> Member:
    """The member record of the signed-in person (404 for a login without one)."""
    if not user.is_authenticated:
        raise Http404
    member = Member.objects.select_related("union", "employer", "town_street").filter(user=user).first()
    if member is None:
        raise Http404
    member.user = user  # also caches user.member: the page's menu reads it without a query
    return member


def member_for_staff(user, pk: int) -> Member:
    """A member as staff may see it: superuser, a staff group that may view members, an officer
    of the member's own union, or an agency point of the member's town/street."""
    member = Member.objects.select_related("union").filter(pk=pk).first()
    if member is None:
        raise Http404
    if not user.is_authenticated or not user.is_staff:
        raise PermissionDenied
    if user.is_superuser:
        return member
    if scope_q(user) is not None:
        if not in_scope(user, union_id=member.union_id, town_id=member.town_street_id):
            raise Http404
        return member
    if not user.has_perm("members.view_member"):
        raise PermissionDenied
    return member


def member_queryset_for_staff(user, queryset=None):
    """Members a staff login may list: all for federation staff, own unions for officers, own
    towns/streets for agency points."""
    queryset = queryset if queryset is not None else Member.objects.all()
    if user.is_superuser:
        return queryset
    if scope_q(user) is not None:
        return scope_filter(queryset, user, union="union", town="town_street")
    if user.has_perm("members.view_member"):
        return queryset
    return queryset.none()
