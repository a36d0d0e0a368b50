"""Who may see a case: the only ways views and admin fetch one. Each helper returns what the
person may see or raises 404 (never saying that someone else's case exists)."""

from django.http import Http404

from apps.accounts.models import PhoneCode
from apps.accounts.otp import session_phone
from apps.orgs.selectors import officer_union_ids

from .models import CaseAttachment, RightsCase

STATUS_PURPOSE = PhoneCode.Purpose.STATUS


def staff_may_see_cases(user) -> bool:
    """Federation staff with the rights view permission (权益保障部, 领导, superuser).
    Grassroots officers never do, whatever permissions a group was given by mistake."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return False
    if user.is_superuser:
        return True
    if officer_union_ids(user):
        return False
    return user.has_perm("rights.view_rightscase")


def cases_for_staff(user, queryset=None):
    """Cases a staff login may list in admin: all of them or none."""
    queryset = queryset if queryset is not None else RightsCase.objects.all()
    return queryset if staff_may_see_cases(user) else queryset.none()


def attachments_for_staff(user, queryset=None):
    """Case files a staff login may list: those of the cases it may see."""
    queryset = queryset if queryset is not None else CaseAttachment.objects.all()
    return queryset if staff_may_see_cases(user) else queryset.none()


def case_for_member(member, number: str) -> RightsCase:
    """A case of the signed-in member's own, by number (404 for anyone else's)."""
    case = RightsCase.objects.select_related("employer").filter(number=number).first()
    if case is None:
        raise Http404
    if case.member_id != member.pk:
        raise Http404
    return case


def status_phone(request) -> str | None:
    """The phone this browser verified for following cases at /rights/status/."""
    return session_phone(request, purpose=STATUS_PURPOSE)


def case_for_status_phone(request, number: str) -> RightsCase:
    """A non-member's case, to the browser that verified the phone it was filed with."""
    phone = status_phone(request)
    if not phone:
        raise Http404
    case = RightsCase.objects.select_related("employer").filter(number=number).first()
    if case is None:
        raise Http404
    if case.member_id is not None:
        raise Http404
    if case.worker_phone != phone:
        raise Http404
    return case


def attachment_for_request(request, pk: int) -> CaseAttachment:
    """An attachment to the case's member, the browser that verified a non-member's phone, or
    staff who may see cases."""
    attachment = CaseAttachment.objects.select_related("case").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    case = attachment.case
    user = request.user
    if staff_may_see_cases(user):
        return attachment
    own = getattr(user, "member", None) if user.is_authenticated else None
    if own is not None and case.member_id == own.pk:
        return attachment
    if case.member_id is None and case.worker_phone and case.worker_phone == status_phone(request):
        return attachment
    raise Http404
