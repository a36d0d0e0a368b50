"""Honours on the member's timeline: the rolls they are on (one query)."""

from django.utils.translation import gettext as _

from apps.core.timeline import TimelineEntry, Viewer, admin_links, member_link, timeline_provider

from .models import HonourEntry


@timeline_provider("awards")
def honours(member, viewer: Viewer) -> list[TimelineEntry]:
    entries = HonourEntry.objects.filter(member=member).select_related("programme")
    if viewer.is_self:
        entries = entries.filter(is_published=True)  # the member sees an honour once it is public
    entries = list(entries.order_by("-created_at", "-id")[:200])
    links = admin_links(viewer, HonourEntry, [entry.pk for entry in entries])
    own = member_link("awards_portal:my_honours") if viewer.is_self else ""
    return [
        TimelineEntry(
            at=entry.created_at, service=str(HonourEntry._meta.app_config.verbose_name),
            title=_("荣誉：%(programme)s") % {"programme": entry.programme},
            status=_("已公布") if entry.is_published else _("未公布"),
            url=own or links.get(entry.pk, ""), order=("awards.honour", entry.pk),
        )
        for entry in entries
    ]
