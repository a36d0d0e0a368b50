"""The morning digest of every department's work queues (beat: workqueues-morning-digest)."""

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.notify.services import staff_notify
from apps.orgs.models import UnionOfficer

from .selectors import QUEUES


def work_queue_digests_send(*, on: datetime.date) -> int:
    """Tell each staff login how much waits in its queues today: one notice (and e-mail) per
    login that has any work. Department queues are counted once; officer queues once, grouped
    by union. Queues the rights officers' own digest already lists are left out. Returns how
    many logins were told."""
    User = get_user_model()
    lines_by_user: dict[int, list[str]] = defaultdict(list)
    users: dict[int, object] = {}
    members_of: dict[str, list] = {}

    def department(group):
        if group not in members_of:
            members_of[group] = list(User.objects.filter(is_active=True, is_staff=True, groups__name=group).distinct())
        return members_of[group]

    officer_counts: dict[int, list[str]] = defaultdict(list)
    for queue in QUEUES:
        if queue.in_rights_digest:
            continue
        records = queue.records(on)
        count = records.count()
        if count:
            for group in queue.groups:
                for user in department(group):
                    users[user.pk] = user
                    lines_by_user[user.pk].append(f"{queue.title}：{count}")
        if queue.union_field:
            per_union = records.order_by().values(queue.union_field).annotate(n=Count("pk"))
            for row in per_union:
                officer_counts[row[queue.union_field]].append(f"{queue.title}：{row['n']}")
    if officer_counts:
        officers = (UnionOfficer.objects.filter(union_id__in=officer_counts, is_active=True, user__is_active=True)
                    .select_related("user"))
        for officer in officers:
            if lines_by_user.get(officer.user_id) and officer.user_id in users:
                continue  # a department login already has the whole count
            users[officer.user_id] = officer.user
            lines_by_user[officer.user_id].extend(officer_counts[officer.union_id])
    by_body: dict[str, list] = defaultdict(list)
    for pk, lines in lines_by_user.items():
        by_body["\n".join(dict.fromkeys(lines))].append(users[pk])
    link = reverse("workqueues:mine")
    title = _("%(day)s 待办提醒") % {"day": f"{on:%Y-%m-%d}"}
    return sum(staff_notify(users=recipients, title=title, body=body, link=link, email=True)
               for body, recipients in by_body.items())
