"""Who may see an application, its files and a hardship file: the only ways views and admin
fetch them. Each helper returns what the person may see or raises 404 (never saying that
someone else's record exists) or 403 (a staff login of the wrong group)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.orgs.selectors import officer_union_ids, scope_filter, scoped_by_role

from .models import Application, ApplicationDocument, HardshipFile


def is_aid_centre_staff(user) -> bool:
    """Aid-centre staff (and superusers): they enter files and applications at the counter for
    any member. Officers and agency points are scoped and never count as such."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return user.is_superuser or (user.has_perm("aid.approve_application") and not scoped_by_role(user))


def may_act_for(user, member) -> bool:
    """The member themselves, an officer of the member's own union, or aid-centre staff."""
    if not user.is_authenticated:
        return False
    if member.user_id is not None and member.user_id == user.pk:
        return True
    if member.union_id is not None and member.union_id in officer_union_ids(user):
        return True
    return is_aid_centre_staff(user)


def counter_unions(user) -> list[int] | None:
    """Whose files and applications a login may enter at the counter: None for aid-centre
    staff (any member), its unions for an officer; 403 for every other login."""
    if is_aid_centre_staff(user):
        return None
    unions = officer_union_ids(user)
    if not unions:
        raise PermissionDenied
    return unions


def application_for_member(member, pk: int) -> Application:
    """An application of the signed-in member's own (404 for anyone else's)."""
    application = (
        Application.objects.select_related("aid_type__campaign", "member", "union", "notice").filter(pk=pk).first()
    )
    if application is None:
        raise Http404
    if application.member_id != member.pk:
        raise Http404
    return application


def application_for_editor(user, pk: int) -> Application:
    """An application the login may fill in: its member's own, or one of a member of the
    officer's own union (the officer applying on the member's behalf)."""
    application = Application.objects.select_related("aid_type__campaign", "member").filter(pk=pk).first()
    if application is None or not user.is_authenticated:
        raise Http404
    if may_act_for(user, application.member):
        return application
    raise Http404


def staff_may_see_applications(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff and (
        user.is_superuser or user.has_perm("aid.view_application")
    )


def applications_for_staff(user, queryset=None):
    """Applications a staff login may list: officers their own union's, agency points their
    town's, aid-centre staff all; nothing for other groups."""
    queryset = queryset if queryset is not None else Application.objects.all()
    if not staff_may_see_applications(user):
        return queryset.none()
    return scope_filter(queryset, user, union="union", town="town_street")


def files_for_staff(user, queryset=None):
    queryset = queryset if queryset is not None else HardshipFile.objects.all()
    if not (user.is_authenticated and user.is_staff and (user.is_superuser or user.has_perm("aid.view_hardshipfile"))):
        return queryset.none()
    return scope_filter(queryset, user, union="member__union", town="member__town_street")


def document_for_request(request, pk: int) -> ApplicationDocument:
    """An application's file, to its member, an officer of the member's union, or aid staff."""
    document = ApplicationDocument.objects.select_related("application__member").filter(pk=pk).first()
    if document is None or not request.user.is_authenticated:
        raise Http404
    user = request.user
    application = document.application
    if application.member.user_id == user.pk:
        return document
    if user.is_staff:
        if not applications_for_staff(user).filter(pk=application.pk).exists():
            if staff_may_see_applications(user):
                raise Http404
            raise PermissionDenied
        return document
    raise Http404
