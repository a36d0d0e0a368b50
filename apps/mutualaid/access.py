"""Who may see a claim or an enrolment: the only ways views, admin and exports fetch them.
Each helper returns what the person may see or raises 404 (never saying that someone else's
claim exists)."""

from django.http import Http404

from apps.orgs.selectors import officer_union_ids, scope_filter

from .models import Claim, ClaimReceipt, Enrolment


def claim_for_member(member, number: str) -> Claim:
    """A claim of the signed-in member's own, by number (404 for anyone else's)."""
    claim = (
        Claim.objects.select_related("benefit", "scheme", "enrolment", "fixed_item", "member")
        .filter(number=number).first()
    )
    if claim is None:
        raise Http404
    if claim.member_id != member.pk:
        raise Http404
    return claim


def staff_may_see_claims(user) -> bool:
    """The mutual-aid office, leadership, agency points (their own town/street) and superusers;
    never grassroots officers, whatever their group was given by mistake."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return False
    if user.is_superuser:
        return True
    if officer_union_ids(user):
        return False
    return user.has_perm("mutualaid.view_claim")


def claims_for_staff(user, queryset=None):
    """Claims a staff login may list: an agency point only its own town/street's."""
    queryset = queryset if queryset is not None else Claim.objects.all()
    if not staff_may_see_claims(user):
        return queryset.none()
    return scope_filter(queryset, user, union=None, town="town_street")


def receipts_for_staff(user, queryset=None):
    queryset = queryset if queryset is not None else ClaimReceipt.objects.all()
    if not staff_may_see_claims(user):
        return queryset.none()
    return scope_filter(queryset, user, union=None, town="claim__town_street")


def enrolments_for_staff(user, queryset=None):
    """Enrolments a staff login may list: an officer its own union's, an agency point its own
    town/street's, office staff all."""
    queryset = queryset if queryset is not None else Enrolment.objects.all()
    if not user.is_authenticated or not user.is_staff:
        return queryset.none()
    return scope_filter(queryset, user, union="union", town="town_street")


def receipt_for_request(request, pk: int) -> ClaimReceipt:
    """A receipt file to its claim's member, or to staff who may see that claim."""
    receipt = ClaimReceipt.objects.select_related("claim").filter(pk=pk).first()
    if receipt is None:
        raise Http404
    user = request.user
    if not user.is_authenticated:
        raise Http404
    own = getattr(user, "member", None)
    if own is not None and receipt.claim.member_id == own.pk:
        return receipt
    if claims_for_staff(user).filter(pk=receipt.claim_id).exists():
        return receipt
    raise Http404
