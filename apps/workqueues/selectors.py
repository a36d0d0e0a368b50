"""The work queues: for each department, the records that wait for it, oldest or most urgent
first. Each queue is a selector returning a queryset (ordered, joined for its rows) over the
owning app's models; `queues_for(user)` picks the ones a login works on, scoped to an officer's
own unions where the queue serves union officers too.

Reading a queue costs two queries (its count and its first rows) whatever its size.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts import roles
from apps.accounts.roles import user_in_group
from apps.orgs.selectors import officer_union_ids
from apps.workdays.calendar import add_workdays

RECHECK_AHEAD_DAYS = 30  # hardship files whose yearly re-check falls within this many days
JOIN_AHEAD_WORKDAYS = 3  # join requests within this many working days of their 15-day limit
STARS_AHEAD_DAYS = 30  # a star self-assessment deadline this close makes the queue


@dataclass(frozen=True)
class Row:
    title: str
    detail: str
    due: datetime.date | None
    url: str


@dataclass(frozen=True)
class WorkQueue:
    key: str
    title: str
    groups: tuple[str, ...]  # the departments that work on it
    records: Callable[[datetime.date], QuerySet]
    row: Callable[[object, datetime.date], Row]
    union_field: str | None = None  # set: union officers get it too, for their own unions
    in_rights_digest: bool = False  # already in the rights officers' own morning e-mail

    def for_user(self, user, today: datetime.date) -> QuerySet:
        queryset = self.records(today)
        if self.union_field and not _department_of(user, self):
            queryset = queryset.filter(**{f"{self.union_field}__in": officer_union_ids(user)})
        return queryset


def _admin_url(name: str, pk) -> str:
    return reverse(f"admin:{name}_change", args=[pk])


# ---- rights (权益保障部) ---------------------------------------------------------------------

def rights_cases_overdue(today: datetime.date) -> QuerySet:
    from apps.rights.models import RightsCase
    from apps.rights.selectors import cases_overdue

    return cases_overdue(RightsCase.objects.select_related("employer", "handler"), today).order_by("due_on", "id")


def _case_row(case, today) -> Row:
    if case.handler_id:
        handler = case.handler.get_full_name() or case.handler.get_username()
    else:
        handler = _("未指定承办人")
    return Row(title=f"{case.number} · {case.employer.name if case.employer_id else ''}",
               detail=f"{case.get_status_display()} · {handler}", due=case.due_on,
               url=_admin_url("rights_rightscase", case.pk))


def rights_findings_overdue(today: datetime.date) -> QuerySet:
    from apps.rights.selectors import findings_overdue

    return (findings_overdue(today).filter(is_compliant=False)
            .select_related("inspection__employer", "item").order_by("inspection__rectification_due", "id"))


def _finding_row(finding, today) -> Row:
    return Row(title=f"{finding.inspection.employer.name} · {finding.item}", detail=finding.description[:60],
               due=finding.inspection.rectification_due, url=_admin_url("rights_finding", finding.pk))


# ---- aid (困难职工帮扶中心) -------------------------------------------------------------------

def aid_files_due_for_recheck(today: datetime.date) -> QuerySet:
    from apps.aid.models import FileStatus, HardshipFile

    return (HardshipFile.objects.filter(status=FileStatus.OPEN,
                                        recheck_due__lte=today + datetime.timedelta(days=RECHECK_AHEAD_DAYS))
            .select_related("member").order_by("recheck_due", "id"))


def _file_row(hardship_file, today) -> Row:
    return Row(title=f"{hardship_file.member.name} · {hardship_file.get_level_display()}",
               detail=str(_("复核日期 %(day)s") % {"day": hardship_file.recheck_due}) if hardship_file.recheck_due else "",
               due=hardship_file.recheck_due, url=_admin_url("aid_hardshipfile", hardship_file.pk))


AIDED = ("approved", "noticed", "paid")


def aid_file_holders_never_aided(today: datetime.date) -> QuerySet:
    """Open files whose holder has had no aid approved this year (in any campaign)."""
    from apps.aid.models import Application, FileStatus, HardshipFile

    aided = Application.objects.filter(member=OuterRef("member"), year=today.year, status__in=AIDED)
    return (HardshipFile.objects.filter(status=FileStatus.OPEN).filter(~Exists(aided))
            .select_related("member").order_by("id"))


def _never_aided_row(hardship_file, today) -> Row:
    return Row(title=f"{hardship_file.member.name} · {hardship_file.get_level_display()}",
               detail=str(_("%(year)s年尚未获得帮扶") % {"year": today.year}), due=None,
               url=_admin_url("aid_hardshipfile", hardship_file.pk))


# ---- mutual aid (互助保障办公室) --------------------------------------------------------------

def mutualaid_claims_waiting(today: datetime.date) -> QuerySet:
    from apps.mutualaid.models import Claim, Status

    return (Claim.objects.filter(status__in=[Status.SUBMITTED, Status.CHECKED])
            .select_related("member").order_by("submitted_at", "id"))


def _claim_row(claim, today) -> Row:
    from django.utils import timezone

    waited = (today - timezone.localdate(claim.submitted_at)).days
    return Row(title=f"{claim.number} · {claim.member.name}",
               detail=str(_("%(status)s，已等待 %(days)d 天") % {"status": claim.get_status_display(), "days": waited}),
               due=None, url=_admin_url("mutualaid_claim", claim.pk))


# ---- organisation (组织部) and union officers ---------------------------------------------

def membership_joins_near_limit(today: datetime.date) -> QuerySet:
    from apps.membership.models import JOIN_OPEN, JoinRequest

    return (JoinRequest.objects.filter(status__in=JOIN_OPEN, deadline__lte=add_workdays(today, JOIN_AHEAD_WORKDAYS))
            .select_related("union").order_by("deadline", "id"))


def _join_row(join_request, today) -> Row:
    late = join_request.deadline < today
    return Row(title=f"{join_request.name} · {join_request.union.name}",
               detail=str(_("已超过办理时限") if late else _("临近办理时限")), due=join_request.deadline,
               url=_admin_url("membership_joinrequest", join_request.pk))


def stars_rubric_due(today: datetime.date):
    """The star rubric whose self-assessment deadline comes next, if within STARS_AHEAD_DAYS."""
    from apps.stars.models import Rubric

    return (Rubric.objects.filter(deadline__gte=today, deadline__lte=today + datetime.timedelta(days=STARS_AHEAD_DAYS))
            .order_by("deadline", "-version").first())


SELF_ASSESSED = ("submitted", "reviewed", "published")


def stars_unions_without_self_assessment(today: datetime.date) -> QuerySet:
    """Active unions with no submitted self-assessment for the year whose deadline is near."""
    from apps.orgs.models import GrassrootsUnion
    from apps.stars.models import Evaluation

    rubric = stars_rubric_due(today)
    if rubric is None:
        return GrassrootsUnion.objects.none()
    submitted = Evaluation.objects.filter(union=OuterRef("pk"), year=rubric.year, status__in=SELF_ASSESSED)
    return (GrassrootsUnion.objects.filter(is_active=True).filter(~Exists(submitted))
            .select_related("town_street").order_by("town_street_id", "name"))


def _union_row(union, today) -> Row:
    return Row(title=union.name, detail=str(union.town_street), due=None,
               url=_admin_url("orgs_grassrootsunion", union.pk))


QUEUES: list[WorkQueue] = [
    WorkQueue("rights.cases_overdue", _("超期未办的维权案件"), (roles.RIGHTS,), rights_cases_overdue, _case_row,
              in_rights_digest=True),
    WorkQueue("rights.findings_overdue", _("超过整改期限的检查发现"), (roles.RIGHTS,), rights_findings_overdue,
              _finding_row),
    WorkQueue("aid.files_recheck", _("到期待复核的困难档案"), (roles.AID,), aid_files_due_for_recheck, _file_row),
    WorkQueue("aid.never_aided", _("本年度尚未获得帮扶的建档职工"), (roles.AID,), aid_file_holders_never_aided,
              _never_aided_row),
    WorkQueue("mutualaid.claims_waiting", _("等待最久的互助金申请"), (roles.MUTUAL_AID,), mutualaid_claims_waiting,
              _claim_row),
    WorkQueue("membership.joins_near_limit", _("临近15个工作日时限的入会申请"), (roles.ORGANISATION,),
              membership_joins_near_limit, _join_row, union_field="union"),
    WorkQueue("stars.unions_without_self_assessment", _("临近截止仍未提交星级自评的工会"), (roles.ORGANISATION,),
              stars_unions_without_self_assessment, _union_row, union_field="pk"),
]


def _department_of(user, queue: WorkQueue) -> bool:
    return user.is_superuser or any(user_in_group(user, group) for group in queue.groups)


def queues_for(user) -> list[WorkQueue]:
    """The queues `user` works on: their departments', and as a union officer those that serve
    officers (scoped to their unions)."""
    if not (user.is_active and user.is_staff):
        return []
    officer = user_in_group(user, roles.UNION_OFFICER)
    return [q for q in QUEUES if _department_of(user, q) or (q.union_field and officer)]


@dataclass
class QueueView:
    queue: WorkQueue
    count: int
    rows: list[Row]


def queue_views(user, today: datetime.date, *, rows: int = 20) -> list[QueueView]:
    """Each of the user's queues with its size and first rows: two queries a queue."""
    views = []
    for queue in queues_for(user):
        records = queue.for_user(user, today)
        views.append(QueueView(queue=queue, count=records.count(),
                               rows=[queue.row(obj, today) for obj in records[:rows]]))
    return views
