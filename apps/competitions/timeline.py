"""Competition results on the member's timeline: awards and city titles (one query).

Registrations and withdrawals come from RegistrationChange rows (apps.core.timeline)."""

from django.utils.translation import gettext as _

from apps.core.timeline import TimelineEntry, Viewer, admin_links, day_start, member_link, timeline_provider

from .models import Registration


@timeline_provider("competitions")
def results(member, viewer: Viewer) -> list[TimelineEntry]:
    rows = list(
        Registration.objects.filter(member=member, event__results_published_at__isnull=False)
        .exclude(award="", city_title="").select_related("event").order_by("-event__results_published_at", "-id")[:200]
    )
    links = admin_links(viewer, Registration, [row.pk for row in rows])
    own = member_link("competitions:mine") if viewer.is_self else ""
    service = str(Registration._meta.app_config.verbose_name)
    entries = []
    for row in rows:
        url = own or links.get(row.pk, "")
        if row.award:
            entries.append(TimelineEntry(
                at=row.event.results_published_at, service=service,
                title=_("获奖：%(event)s") % {"event": row.event.name},
                status=" ".join(part for part in [row.get_award_display(), _("第 %(rank)s 名") % {"rank": row.rank} if row.rank else ""] if part),
                url=url, order=("competitions.award", row.pk),
            ))
        if row.city_title and row.title_decided_on:
            entries.append(TimelineEntry(
                at=day_start(row.title_decided_on), service=service,
                title=_("称号：%(title)s") % {"title": row.city_title}, status=row.event.name,
                url=url, date_only=True, order=("competitions.title", row.pk),
            ))
    return entries
