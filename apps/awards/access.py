"""Who may see a nomination: the only ways views fetch one. Each helper returns what the
person may see or raises 403/404 (never saying that another union's nomination exists)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from apps.orgs.selectors import agency_town_ids, officer_union_ids

from .models import Nomination, NominationChannel, NominationFile


def may_nominate(user) -> bool:
    """A grassroots officer (their union's members and teams) or a town/street login (its
    town's); members and federation staff nominate nobody from the portal."""
    return bool(officer_union_ids(user) or agency_town_ids(user))


def nominator_required(user) -> None:
    if not user.is_authenticated or not may_nominate(user):
        raise PermissionDenied


def nominations_for_nominator(user):
    """The nominations this officer's unions (or this town login's town) made."""
    nominator_required(user)
    return Nomination.objects.filter(
        Q(channel=NominationChannel.UNION, union_id__in=officer_union_ids(user))
        | Q(channel=NominationChannel.TOWN, town_street_id__in=agency_town_ids(user))
    )


def nomination_for_nominator(user, pk: int) -> Nomination:
    """One nomination of the officer's own union (or town), or 404."""
    nomination = (
        nominations_for_nominator(user)
        .select_related("programme", "member__employer", "team_employer", "union", "town_street")
        .filter(pk=pk).first()
    )
    if nomination is None:
        raise Http404
    return nomination


def staff_may_review(user) -> bool:
    """Federation staff with the awards view permission; officers never, whatever a group says."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return False
    if user.is_superuser:
        return True
    if officer_union_ids(user) or agency_town_ids(user):
        return False
    return user.has_perm("awards.view_nomination")


def nominations_for_staff(user, queryset=None):
    queryset = queryset if queryset is not None else Nomination.objects.all()
    return queryset if staff_may_review(user) else queryset.none()


def nomination_files_for_staff(user, queryset=None):
    queryset = queryset if queryset is not None else NominationFile.objects.all()
    return queryset if staff_may_review(user) else queryset.none()
