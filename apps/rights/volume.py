"""A year of rights-protection cases for benchmarks (`manage.py generate_volume --year`).

About one case a year per 200 members, as a city's 12351 service sees them: most closed after
mediation or arbitration, some declined, the rest still open at each step, every move with its
status-change row. Numbers come from the same yearly counter `case_submit` uses (gapless).
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from apps.members.management.volume import counter_reserve, volume_year_register
from apps.members.models import Member
from apps.workdays.calendar import add_workdays

from .models import (
    DEFAULT_LIMIT_DAYS,
    STEP_OF_STATUS,
    CaseStatusChange,
    Category,
    Channel,
    Grade,
    Outcome,
    RightsCase,
    Status,
)
from .services import NUMBER_SEQUENCE

DESCRIPTIONS = {
    Category.WAGE_ARREARS: "单位拖欠{months}个月工资，多次讨要未果，请求工会帮助追讨。",
    Category.LABOUR_CONTRACT: "入职{months}个月单位一直未签订书面劳动合同，请求依法补签并支付双倍工资。",
    Category.SOCIAL_INSURANCE: "单位{months}个月未缴纳社会保险，请求督促补缴。",
    Category.WORK_INJURY: "在车间作业时受伤，单位不配合申报工伤，已休息{months}个月。",
    Category.DISMISSAL: "单位口头通知辞退，未支付经济补偿，工作年限{months}年。",
    Category.OTHER: "加班费计算有争议，涉及{months}个月，请求工会协调。",
}
# (share, the path of statuses after "submitted")
PATHS = [
    (40, [Status.ACCEPTED, Status.MEDIATION, Status.RETURN_VISIT, Status.CLOSED]),
    (12, [Status.ACCEPTED, Status.MEDIATION, Status.ARBITRATION, Status.RETURN_VISIT, Status.CLOSED]),
    (6, [Status.ACCEPTED, Status.LEGAL_AID, Status.ARBITRATION, Status.RETURN_VISIT, Status.CLOSED]),
    (8, [Status.DECLINED]),
    (5, []),
    (5, [Status.ACCEPTED]),
    (10, [Status.ACCEPTED, Status.MEDIATION]),
    (6, [Status.ACCEPTED, Status.MEDIATION, Status.ARBITRATION]),
    (3, [Status.ACCEPTED, Status.LEGAL_AID]),
    (5, [Status.ACCEPTED, Status.MEDIATION, Status.RETURN_VISIT]),
]
BATCH = 2000


@volume_year_register("rights")
def rights_cases_year(*, year_start: datetime.date, seed: int) -> int:
    """One year of cases from `year_start` to today for members and non-members on file."""
    rng = random.Random(f"{seed}:rights:{year_start}")
    first = Member.objects.order_by("pk").values_list("pk", flat=True).first()
    last = Member.objects.order_by("-pk").values_list("pk", flat=True).first()
    if first is None:
        return 0
    count = max(20, Member.objects.count() // 200)
    today = timezone.localdate()
    days = (today - year_start).days
    picks = sorted(rng.randrange(days * 86400) for _ in range(count))
    start = datetime.datetime.combine(year_start, datetime.time(), tzinfo=timezone.get_current_timezone())
    submitted = [start + datetime.timedelta(seconds=s) for s in picks]
    wanted = [rng.randint(first, last) for _ in range(count)]
    members = {m.pk: m for m in Member.objects.filter(pk__in=wanted).only(
        "pk", "name", "phone", "employer_id", "town_street_id", "document_number")}
    by_year: dict[int, int] = {}
    for at in submitted:
        by_year[timezone.localdate(at).year] = by_year.get(timezone.localdate(at).year, 0) + 1
    next_number = {y: counter_reserve(NUMBER_SEQUENCE, n, y) for y, n in sorted(by_year.items())}
    weights = [w for w, _path in PATHS]
    cases, chains = [], []
    for at, pk in zip(submitted, wanted):
        year = timezone.localdate(at).year
        next_number[year] += 1
        member = members.get(pk) if rng.random() < 0.7 else None
        category = rng.choice(list(DESCRIPTIONS))
        grade = rng.choices([Grade.GENERAL, Grade.DIFFICULT, Grade.VERY_COMPLEX], [80, 15, 5])[0]
        path = rng.choices([p for _w, p in PATHS], weights)[0]
        moves, moment = [], at
        for status in path:
            moment = moment + datetime.timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 8))
            if moment.date() > today:
                break
            moves.append((status, moment))
        final = moves[-1][0] if moves else Status.SUBMITTED
        last_at = moves[-1][1] if moves else at
        owed = Decimal(rng.randrange(2000, 200000)) if category == Category.WAGE_ARREARS else Decimal("0")
        case = RightsCase(
            number=f"WQ{year}-{next_number[year]:06d}", year=year,
            channel=rng.choices(list(Channel), [45, 25, 10, 20])[0], category=category,
            member=member, worker_name=member.name if member else "李" + rng.choice("明强伟芳娟磊"),
            worker_phone=member.phone if member and member.phone else f"139{rng.randrange(10 ** 8):08d}",
            employer_id=member.employer_id if member and member.employer_id else None,
            employer_name="" if member and member.employer_id else "义乌市某商行",
            town_street_id=member.town_street_id if member else None,
            description=DESCRIPTIONS[category].format(months=rng.randint(1, 12)),
            amount_owed=owed, status=final, grade=grade, submitted_at=at,
            accepted_at=next((m for s, m in moves if s == Status.ACCEPTED), None),
        )
        if final == Status.DECLINED:
            case.decline_reason = "不属于劳动争议，已告知向市场监管部门反映。"
        if final == Status.CLOSED:
            case.outcome = rng.choices([Outcome.RESOLVED, Outcome.PARTLY, Outcome.NOT_RESOLVED], [75, 18, 7])[0]
            case.amount_recovered = (owed * Decimal(rng.choice(["1", "0.8", "0.5"]))).quantize(Decimal("0.01"))
            case.closed_at, case.settled, case.satisfaction = last_at, True, rng.choice([4, 5, 5, 5])
        step = STEP_OF_STATUS.get(final)
        if step is not None:
            case.due_on = add_workdays(timezone.localdate(last_at), DEFAULT_LIMIT_DAYS[step][grade])
        cases.append(case)
        chains.append([(Status.SUBMITTED, at), *moves])
    RightsCase.objects.bulk_create(cases, batch_size=BATCH)
    changes = []
    for case, chain in zip(cases, chains):
        previous = ""
        for status, moment in chain:
            changes.append(CaseStatusChange(case=case, from_status=previous, to_status=status, at=moment,
                                            note="网上提交" if not previous else ""))
            previous = status
    CaseStatusChange.objects.bulk_create(changes, batch_size=BATCH)
    return len(cases)
