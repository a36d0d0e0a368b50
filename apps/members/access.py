"""The only ways views fetch a member's personal data: each returns it or raises 404/403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.orgs.selectors import officer_union_ids

from .models import Member


def member_for_user(user) -> Member:
    """The member record of the signed-in person (404 for a login without one)."""
    if not user.is_authenticated:
        raise Http404
    member = Member.objects.select_related("union", "employer", "town_street").filter(user=user).first()
    if member is None:
        raise Http404
    return member


def member_for_staff(user, pk: int) -> Member:
    """A member as staff may see it: superuser, a staff group that may view members, or an
    officer of the member's own union."""
    member = Member.objects.select_related("union").filter(pk=pk).first()
    if member is None:
        raise Http404
    if not user.is_authenticated or not user.is_staff:
        raise PermissionDenied
    if user.is_superuser:
        return member
    unions = officer_union_ids(user)
    if unions:
        if member.union_id not in unions:
            raise Http404
        return member
    if not user.has_perm("members.view_member"):
        raise PermissionDenied
    return member


def member_queryset_for_staff(user, queryset=None):
    """Members a staff login may list: all for federation staff, own unions for officers."""
    queryset = queryset if queryset is not None else Member.objects.all()
    if user.is_superuser:
        return queryset
    unions = officer_union_ids(user)
    if unions:
        return queryset.filter(union_id__in=unions)
    if user.has_perm("members.view_member"):
        return queryset
    return queryset.none()
