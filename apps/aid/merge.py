"""Member merge and aid: two records of one person may each have a live hardship file, an
application for the same aid type, a nomination for the same year or an enrolment in the same
programme, which the generic walk of `apps.membership.services.member_merge` would refuse as
unique rows on both sides. `aid_merge_prepare` settles them first, inside the merge's
transaction; the yearly limits ledger is merged by `allowances_merge` as for every app.

- hardship files: the open file is kept (the survivor's when both are open or both proposed);
  the other is closed with a note and a FileStatusChange;
- applications of one aid type: the one further along is kept (the survivor's on a tie) and
  the other cancelled (status CANCELLED, a status-change row, the member told); when both hold
  approved money the merge stops with a message saying what staff must settle first;
- nominations of one year: the survivor's is kept, the other removed (it names the same
  worker for the same year);
- enrolments in one programme: the survivor's is kept, the other's place given back.
"""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.limits import limit_release
from apps.membership.errors import MergeConflict
from apps.notify.services import decision_key, member_notify
from apps.notify.texts import sms_template_register

from .models import (
    HOLDING,
    LIVE_FILE_STATUSES,
    Application,
    ApplicationStatusChange,
    Enrolment,
    FileStatus,
    HardshipFile,
    Nomination,
    Status,
)


class AidMergeBlocked(MergeConflict):
    """Both records hold approved aid of one type: a person cannot be paid twice, so staff
    must settle one of them before the merge."""

    def __init__(self, aid_type, numbers):
        super(MergeConflict, self).__init__(
            _("两条记录都有已批准的“%(type)s”申请（%(numbers)s），同一人同一项目只能获得一次救助，无法自动合并："
              "请先在救助申请中核实并处理其中一条（未获批准或退回），再合并。")
            % {"type": aid_type, "numbers": "、".join(n or "—" for n in numbers)}
        )


# How far an application has gone: the further one is kept when both records applied.
RANK = {Status.DRAFT: 0, Status.DECLINED: 1, Status.RETURNED: 2, Status.SUBMITTED: 2, Status.CHECKED: 3}


def _rank(application) -> int:
    return 4 if application.status in HOLDING else RANK.get(application.status, 0)


SMS_MERGE_CANCELLED = sms_template_register(
    "aid.merge_cancelled", name="会员记录合并：重复的救助申请已撤销",
    text="您有两条会员记录，已合并为一条。重复的救助申请 {numbers} 已撤销，另一份同项目申请照常办理。",
    placeholders=["numbers"],
)


def aid_merge_prepare(*, survivor, removed, by) -> dict:
    """Settle the aid rows that exist on both records (see the module docstring). Called by
    member_merge after it locked both members. Raises AidMergeBlocked."""
    counts = {}
    today = timezone.localdate()
    now = timezone.now()
    both = [survivor.pk, removed.pk]

    files = list(
        HardshipFile.objects.select_for_update().filter(member_id__in=both, status__in=LIVE_FILE_STATUSES).order_by("pk")
    )
    if len(files) == 2:
        files.sort(key=lambda f: (f.status == FileStatus.OPEN, f.member_id == survivor.pk), reverse=True)
        kept, closed = files
        from .services import file_change_record

        old = closed.status
        closed.status, closed.closed_on, closed.recheck_due = FileStatus.CLOSED, today, None
        closed.closed_reason = _("会员记录合并：与档案 #%(pk)s 为同一人，已并入该档案") % {"pk": kept.pk}
        closed._history_user = by
        closed.save()
        file_change_record(closed, old, FileStatus.CLOSED, by, closed.closed_reason)
        counts["aid.hardshipfile.closed_duplicate"] = 1

    duplicated = (
        Application.objects.filter(member_id__in=both).exclude(status=Status.CANCELLED)
        .values("aid_type").annotate(n=Count("id")).filter(n__gt=1).values_list("aid_type", flat=True)
    )
    cancelled = []
    for aid_type_id in list(duplicated):
        pair = list(
            Application.objects.select_for_update(of=("self",)).select_related("aid_type")
            .filter(member_id__in=both, aid_type_id=aid_type_id).exclude(status=Status.CANCELLED).order_by("pk")
        )
        if all(a.status in HOLDING for a in pair):
            raise AidMergeBlocked(pair[0].aid_type.name, [a.number for a in pair])
        pair.sort(key=lambda a: (_rank(a), a.member_id == survivor.pk), reverse=True)
        kept, duplicate = pair
        old = duplicate.status
        duplicate.status = Status.CANCELLED
        duplicate._history_user = by
        duplicate.save(update_fields=["status"])
        ApplicationStatusChange.objects.create(
            application=duplicate, from_status=old, to_status=Status.CANCELLED, actor=by, member_id=survivor.pk, at=now,
            note=_("会员记录合并：与申请 %(number)s 重复，已撤销") % {"number": kept.number or _("草稿")},
        )
        cancelled.append(duplicate)
    if cancelled:
        counts["aid.application.cancelled_duplicate"] = len(cancelled)
        numbers = "、".join(a.number or _("草稿") for a in cancelled)
        member_notify(
            member=survivor, title=_("重复的救助申请已撤销"),
            body=_("您有两条会员记录，已合并为一条。重复的申请 %(numbers)s 已撤销，另一份同项目申请照常办理。")
            % {"numbers": numbers},
            link=reverse("aid:mine"), dedupe_key=decision_key(cancelled[0], Status.CANCELLED, "merged"),
            sms_template=SMS_MERGE_CANCELLED, sms_values={"numbers": numbers},
        )

    years = set(Nomination.objects.filter(member=survivor).values_list("year", flat=True))
    removed_nominations = Nomination.objects.filter(member=removed, year__in=years)
    if years and (n := removed_nominations.count()):
        removed_nominations.delete()
        counts["aid.nomination.duplicate_removed"] = n

    programmes = set(Enrolment.objects.filter(member=survivor).values_list("programme_id", flat=True))
    extra = list(Enrolment.objects.select_for_update().filter(member=removed, programme_id__in=programmes))
    for enrolment in extra:
        limit_release(ref=enrolment.ref, note=_("会员记录合并：重复报名"))
        enrolment.delete()
    if extra:
        counts["aid.enrolment.duplicate_released"] = len(extra)
    return counts
