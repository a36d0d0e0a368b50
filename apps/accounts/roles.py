"""The federation's staff groups and what each may do in admin.

Groups are created by a data migration; their permissions are (re)applied after every
migrate from ROLE_PERMISSIONS, so an app added later only needs its line here.
An entry is an app label (every permission of that app), "app.codename", or "view:app"
(only the view permissions of that app).
"""

from django.utils.translation import gettext_lazy as _

RIGHTS = "权益保障部"
ORGANISATION = "组织部"
ECONOMIC = "经济技术部"
AID = "困难职工帮扶中心"
MUTUAL_AID = "互助保障办公室"
COUNSELLING = "心灵港湾工作室"
COUNSELLING_SUPERVISOR = "心理咨询督导"
LEADERSHIP = "领导"
UNION_OFFICER = "基层工会干部"
AGENCY_POINT = "镇街代办点"

STAFF_GROUPS = [
    RIGHTS, ORGANISATION, ECONOMIC, AID, MUTUAL_AID, COUNSELLING, COUNSELLING_SUPERVISOR,
    LEADERSHIP, UNION_OFFICER, AGENCY_POINT,
]

_MEMBER_LOOKUP = ["view:members", "view:orgs"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    RIGHTS: ["rights", "view:workdays", *_MEMBER_LOOKUP, "orgs.add_employer", "orgs.change_employer"],
    ORGANISATION: [
        "orgs", "members", "membership", "stars", "workdays", "awards", "notices",
        "notify.view_smsmessage", "notify.view_notification", "notify.retry_smsmessage",
        "notify.view_smstemplate", "notify.change_smstemplate",
    ],
    ECONOMIC: ["awards", "stars", "competitions", "innovation", "notices", "view:orgs"],
    AID: ["aid", "notices", *_MEMBER_LOOKUP],
    MUTUAL_AID: ["mutualaid", *_MEMBER_LOOKUP],
    COUNSELLING: ["counselling", *_MEMBER_LOOKUP],
    COUNSELLING_SUPERVISOR: ["counselling", *_MEMBER_LOOKUP],
    LEADERSHIP: [
        "view:orgs", "view:members", "view:membership", "view:rights", "view:stars", "view:awards",
        "view:aid", "view:mutualaid", "view:competitions", "view:innovation", "view:notices",
    ],
    UNION_OFFICER: [
        "members.view_member", "members.add_member", "members.change_member",
        "view:membership", "membership.change_joinrequest", "membership.change_transfer",
        "membership.add_transfer", "membership.change_profilechangerequest", "orgs.view_employer", "orgs.view_grassrootsunion",
        "orgs.view_townstreet",
        "aid.view_application", "aid.check_application", "aid.view_applicationdocument",
        "aid.view_hardshipfile", "aid.add_hardshipfile", "aid.view_householdmember", "aid.add_householdmember",
        "aid.change_householdmember", "aid.view_hardshipdocument", "aid.add_hardshipdocument",
        "aid.view_nomination", "aid.add_nomination", "aid.view_enrolment",

        "competitions.view_proposal", "competitions.change_proposal", "competitions.view_proposalattachment",
    ],
    AGENCY_POINT: ["view:members", "view:orgs", "mutualaid.add_claim", "mutualaid.view_claim", "mutualaid.change_claim"],
}

# Mutual aid: officers enrol their own union's members; agency points check the claims of
# their town/street; leadership reads the numbers page.
ROLE_PERMISSIONS[UNION_OFFICER] += ["mutualaid.view_enrolment", "mutualaid.add_enrolment"]
ROLE_PERMISSIONS[AGENCY_POINT] += ["mutualaid.check_claim", "mutualaid.view_enrolment", "mutualaid.view_claimreceipt"]
ROLE_PERMISSIONS[LEADERSHIP] += ["mutualaid.view_mutualaid_numbers"]

# News (apps.news): 办公室 and 组织部 review and publish (news.publish_article); the other
# departments write their own drafts and send them for review.
OFFICE = "办公室"
STAFF_GROUPS.append(OFFICE)
ROLE_PERMISSIONS[OFFICE] = ["news", "view:notices"]
ROLE_PERMISSIONS[ORGANISATION] = [*ROLE_PERMISSIONS[ORGANISATION], "news"]
_NEWS_WRITER = [
    "news.view_article", "news.add_article", "news.change_article", "news.view_articleimage",
    "news.add_articleimage", "news.view_articleattachment", "news.add_articleattachment",
    "news.view_articlestatuschange",
]
for _group in (RIGHTS, ECONOMIC, AID, MUTUAL_AID, COUNSELLING):
    ROLE_PERMISSIONS[_group] = [*ROLE_PERMISSIONS[_group], *_NEWS_WRITER]

GROUP_LABELS = {name: _(name) for name in STAFF_GROUPS}


def user_in_group(user, group_name: str) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._group_names = cached
    return group_name in cached


def roles_sync(**kwargs) -> None:
    """Give each staff group exactly the permissions ROLE_PERMISSIONS lists (post_migrate)."""
    from django.contrib.auth.models import Group, Permission

    everything = list(Permission.objects.select_related("content_type"))
    for name, entries in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = []
        for entry in entries:
            if entry.startswith("view:"):
                label = entry[5:]
                # only the plain view_<model> permissions, never extra ones such as view_full_document
                wanted += [
                    p for p in everything
                    if p.content_type.app_label == label and p.codename == f"view_{p.content_type.model}"
                ]
            elif "." in entry:
                label, codename = entry.split(".", 1)
                wanted += [p for p in everything if p.content_type.app_label == label and p.codename == codename]
            else:
                wanted += [p for p in everything if p.content_type.app_label == entry]
        group.permissions.set({p.pk for p in wanted})
