"""Reads of organisations shared by pages, admin and services, and the scopes of staff logins.

A staff login is scoped in one of three ways: a grassroots officer to its union(s), an agency
point (镇街代办点) to its town(s)/street(s), everyone else (federation staff, superuser) not at
all, where their model permissions decide. `scope_filter` applies the scope to any queryset
given the paths from a row to its union and to its town/street; every access helper and admin
`get_queryset` of member-owned data goes through it.
"""

from django.db.models import Q

from .models import Employer, GrassrootsUnion


def officer_union_ids(user) -> list[int]:
    """The unions a login acts for as a grassroots officer (empty for everyone else)."""
    if not user.is_authenticated:
        return []
    cache_attr = "_officer_union_ids"
    if not hasattr(user, cache_attr):
        setattr(
            user, cache_attr,
            list(user.union_roles.filter(is_active=True).values_list("union_id", flat=True)),
        )
    return getattr(user, cache_attr)


def agency_town_ids(user) -> list[int]:
    """The towns/streets a login works for as agency-point staff (empty for everyone else)."""
    if not user.is_authenticated:
        return []
    cache_attr = "_agency_town_ids"
    if not hasattr(user, cache_attr):
        setattr(
            user, cache_attr,
            list(
                user.agency_roles.filter(is_active=True, point__is_active=True)
                .values_list("point__town_street_id", flat=True).distinct()
            ),
        )
    return getattr(user, cache_attr)


def scoped_by_role(user) -> bool:
    """A login of the officer or agency-point group is scoped even when it has no active union
    or point (then it sees nothing), never left with its group's view of everything."""
    from apps.accounts.roles import AGENCY_POINT, UNION_OFFICER, user_in_group

    return user_in_group(user, UNION_OFFICER) or user_in_group(user, AGENCY_POINT)


def scope_q(user, *, union: str | None = "union", town: str | None = "town_street") -> Q | None:
    """The filter that limits `user` to its scope, or None when it is not scoped.

    `union`/`town` are the lookups from the row to its union and its town/street (e.g.
    ``member__union``); a row type without one of them is invisible to that kind of login.
    """
    if not user.is_authenticated or user.is_superuser:
        return None
    unions, towns = officer_union_ids(user), agency_town_ids(user)
    if not unions and not towns and not scoped_by_role(user):
        return None
    q = Q(pk__in=[])
    if unions and union:
        q |= Q(**{f"{union}__in": unions})
    if towns and town:
        q |= Q(**{f"{town}__in": towns})
    return q


def scope_filter(queryset, user, *, union: str | None = "union", town: str | None = "town_street"):
    """`queryset` narrowed to what a scoped login may see (unchanged for unscoped staff)."""
    q = scope_q(user, union=union, town=town)
    return queryset if q is None else queryset.filter(q)


def in_scope(user, *, union_id: int | None = None, town_id: int | None = None) -> bool:
    """Whether one object with this union/town is in a scoped login's reach (True if unscoped)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    unions, towns = officer_union_ids(user), agency_town_ids(user)
    if not unions and not towns and not scoped_by_role(user):
        return True
    return (union_id is not None and union_id in unions) or (town_id is not None and town_id in towns)


def union_for_employer(employer: Employer | None, town_street=None) -> GrassrootsUnion | None:
    """Where a worker of `employer` belongs: its union, else the catch-all union of its area."""
    if employer is not None and employer.union_id and employer.union.is_active:
        return employer.union
    area = employer.town_street if employer is not None else town_street
    if area is None:
        return None
    return GrassrootsUnion.objects.filter(town_street=area, is_catch_all=True, is_active=True).first()
