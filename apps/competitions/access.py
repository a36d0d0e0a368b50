"""Who may see a registration or a proposal: the only ways views fetch one (404 otherwise)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from apps.orgs.selectors import officer_union_ids, scope_filter

from .models import Proposal, ProposalAttachment, Registration


def registration_for_member(member, pk: int) -> Registration:
    """One of the signed-in member's own registrations (404 for anyone else's)."""
    registration = Registration.objects.select_related("event__competition").filter(pk=pk).first()
    if registration is None:
        raise Http404
    if registration.member_id != member.pk:
        raise Http404
    return registration


def proposal_for_member(member, number: str) -> Proposal:
    """A proposal the member wrote or co-wrote (404 for anyone else, published or not: the
    public list shows published ones without personal detail)."""
    proposal = Proposal.objects.select_related("union").filter(number=number).first()
    if proposal is None:
        raise Http404
    if proposal.member_id != member.pk and not proposal.co_authors.filter(pk=member.pk).exists():
        raise Http404
    return proposal


def proposals_for_staff(user, queryset=None):
    """Proposals a staff login may list: an officer those of its own union(s), an agency point
    those of its town(s)/street(s), department staff all (their permissions decide)."""
    queryset = queryset if queryset is not None else Proposal.objects.all()
    if not user.is_authenticated or not user.is_staff:
        return queryset.none()
    return scope_filter(queryset, user, union="union", town="town_street")


def attachment_for_request(user, pk: int) -> ProposalAttachment:
    """A proposal's file to one of its authors, or staff who may see the proposal."""
    attachment = ProposalAttachment.objects.select_related("proposal").filter(pk=pk).first()
    if attachment is None or not user.is_authenticated:
        raise Http404
    member = getattr(user, "member", None)
    proposal = attachment.proposal
    if member is not None and (proposal.member_id == member.pk or proposal.co_authors.filter(pk=member.pk).exists()):
        return attachment
    if user.is_staff and proposals_for_staff(user).filter(pk=proposal.pk).exists():
        if officer_union_ids(user) or user.has_perm("competitions.view_proposal"):
            return attachment
        raise PermissionDenied
    raise Http404


def officer_may_bulk_register(user) -> bool:
    return bool(officer_union_ids(user))


def members_of_officer_q(user) -> Q:
    return Q(union_id__in=officer_union_ids(user))
