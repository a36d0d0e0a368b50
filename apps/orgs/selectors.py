"""Reads of organisations shared by pages, admin and services."""

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


def union_for_employer(employer: Employer | None, town_street=None) -> GrassrootsUnion | None:
    """Where a worker of `employer` belongs: its union, else the catch-all union of its area."""
    if employer is not None and employer.union_id and employer.union.is_active:
        return employer.union
    area = employer.town_street if employer is not None else town_street
    if area is None:
        return None
    return GrassrootsUnion.objects.filter(town_street=area, is_catch_all=True, is_active=True).first()
