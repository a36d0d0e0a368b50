"""Who may open the dashboard and the work report, and which sections each sees.

Leadership (领导) and superusers see every section; a federation department's staff see their
own department's sections; every other login (members, union officers, agency points, the
office) is refused with 403."""

from django.core.exceptions import PermissionDenied

from apps.accounts import roles

SECTIONS = ["members", "rights", "supervision", "stars", "competitions", "awards", "aid", "mutualaid",
            "counselling", "innovation"]

DEPARTMENT_SECTIONS = {
    roles.RIGHTS: ["rights", "supervision"],
    roles.ORGANISATION: ["members", "stars", "awards"],
    roles.ECONOMIC: ["competitions", "awards", "innovation"],
    roles.AID: ["aid"],
    roles.MUTUAL_AID: ["mutualaid"],
    roles.COUNSELLING: ["counselling"],
    roles.COUNSELLING_SUPERVISOR: ["counselling"],
}


def sections_for_user(user) -> list[str]:
    """The sections `user` may see, in page order: empty when none."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser or (user.is_staff and roles.user_in_group(user, roles.LEADERSHIP)):
        return list(SECTIONS)
    if not user.is_staff:
        return []
    allowed = {s for group, sections in DEPARTMENT_SECTIONS.items() if roles.user_in_group(user, group) for s in sections}
    return [s for s in SECTIONS if s in allowed]


def dashboard_sections_get(user) -> list[str]:
    """The sections for a signed-in `user`, or PermissionDenied (403)."""
    sections = sections_for_user(user)
    if not sections:
        raise PermissionDenied
    return sections
