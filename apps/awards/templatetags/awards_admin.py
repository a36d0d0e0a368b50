"""The officer's panel on the admin index: the portal pages where a grassroots-union officer
(or a town/street login) does the work that is not in the admin (nominations, the star
self-assessment, competition entries). Rendered on the index only, so other admin pages keep
their query counts."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

register = template.Library()


@register.inclusion_tag("awards/admin/_officer_panel.html", takes_context=True)
def officer_portal_panel(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated or request.path != reverse("admin:index"):
        return {"links": []}
    from apps.orgs.selectors import agency_town_ids, officer_union_ids

    is_officer = bool(officer_union_ids(user))
    is_town = not is_officer and bool(agency_town_ids(user))
    links = []
    if is_officer or is_town:
        links.append((reverse("awards_portal:nominations"), _("评选推荐（义乌工匠、最美职工、工人先锋号）"), "nominations"))
    if is_officer:
        for name, label, key in (("stars:assess", _("星级工会自评"), "stars"),
                                 ("competitions:list", _("竞赛报名（可为本工会会员批量报名）"), "competitions")):
            try:
                links.append((reverse(name), label, key))
            except NoReverseMatch:
                continue
    return {"links": links}
