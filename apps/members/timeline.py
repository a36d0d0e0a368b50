"""The member's own record on their timeline: the day they joined the union."""

from django.utils.translation import gettext as _

from apps.core.timeline import TimelineEntry, Viewer, admin_links, day_start, timeline_provider


@timeline_provider("members")
def member_joined(member, viewer: Viewer) -> list[TimelineEntry]:
    """Joining the union (no query: the member row is in hand; one to check the admin link)."""
    if not member.joined_on:
        return []
    links = admin_links(viewer, type(member), [member.pk])
    number = member.membership_number or ""
    return [TimelineEntry(
        at=day_start(member.joined_on), service=str(type(member)._meta.app_config.verbose_name),
        title=_("加入工会"), status=(_("会员号 %(number)s") % {"number": number}) if number else "",
        url=links.get(member.pk, ""), date_only=True, order=("members.joined", member.pk),
    )]
