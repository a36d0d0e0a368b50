"""A year of online join requests for benchmarks (`manage.py generate_volume --year`).

About a third of the members who joined in the year joined online: each gets the approved
request it came from. On top of those, one request in twenty was declined (a person not yet
employed in Yiwu, a document not matching the card), and the requests of the last few weeks
are still open, some of them near or past their 15-working-day limit and forwarded to the
organisation department. Every request has its status-change rows, decided ones by a union
officer's login. Decisions made in bulk here write no history rows (this is not a staff change).
"""

import datetime
import random
import uuid

from django.utils import timezone

from apps.core.validators import gb11643_check_char
from apps.members.management.volume import volume_officer, volume_year_register
from apps.members.models import DocumentType, Member

from .models import JoinRequest, JoinRequestChange, JoinStatus
from .services import join_deadline

BATCH = 2000
JOBS = ["普工", "质检员", "电商运营", "仓库管理员", "缝纫工", "快递员", "销售员", "包装工"]
DECLINE_REASONS = ["所填单位无在职记录，请由单位工会核实后重新申请。", "证件照片与证件号码不一致，请重新提交。"]


def _made_up_id(rng: random.Random, serial: int, female: bool) -> str:
    """A valid resident ID number (GB 11643) of a person born 1970–2004 that no volume member
    has: 新昌县 (330624) is not among the member generator's regions."""
    born = datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 34))
    body = f"330624{born:%Y%m%d}{(serial % 500) * 2 + (0 if female else 1):03d}"
    return body + gb11643_check_char(body)


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    moment = datetime.datetime.combine(day, datetime.time(8 + rng.randrange(12), rng.randrange(60)))
    return timezone.make_aware(moment)


@volume_year_register("membership")
def join_requests_year(*, year_start: datetime.date, seed: int) -> int:
    rng = random.Random(f"{seed}:membership:{year_start}")
    today = timezone.localdate()
    officer = volume_officer()
    joined = list(
        Member.objects.filter(joined_on__gte=year_start, joined_on__lt=today, union__isnull=False,
                              document_type=DocumentType.RESIDENT_ID)
        .order_by("pk")
        .values_list("pk", "name", "gender", "document_number", "birth_date", "phone", "employer_id",
                     "town_street_id", "union_id", "job", "joined_on")
    )
    online = [row for row in joined if rng.random() < 1 / 3]
    requests, changes = [], []

    def add(*, status, name, gender, number, birth, phone, employer, town, union, job, submitted, member=None,
            decided=None, reason=""):
        request = JoinRequest(
            name=name, gender=gender, document_type=DocumentType.RESIDENT_ID, document_number=number, birth_date=birth,
            phone=phone, employer_id=employer, town_street_id=town, union_id=union, job=job, status=status,
            consented_at=submitted, submitted_at=submitted, deadline=join_deadline(timezone.localdate(submitted)),
            decided_at=decided, decided_by=officer if decided else None, decline_reason=reason, member_id=member,
            idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
        )
        if status == JoinStatus.FORWARDED:
            request.escalated_at = min(_at(request.deadline + datetime.timedelta(days=1), rng), timezone.now())
        requests.append(request)

    for pk, name, gender, number, birth, phone, employer, town, union, job, joined_on in online:
        submitted = _at(joined_on - datetime.timedelta(days=rng.randrange(1, 12)), rng)
        add(status=JoinStatus.APPROVED, name=name, gender=gender, number=number, birth=birth, phone=phone,
            employer=employer, town=town, union=union, job=job, submitted=submitted, member=pk,
            decided=_at(joined_on, rng))
    # Declined ones and the open ones of the last weeks: people with no member record.
    places = [(row[6], row[7], row[8]) for row in joined[:: max(1, len(joined) // 500)]]
    declined, still_open = max(1, len(online) // 20), max(20, len(online) // 60)
    for n in range(declined + still_open if places else 0):
        employer, town, union = rng.choice(places)
        female = rng.random() < 0.5
        number = _made_up_id(rng, n, female)
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        person = {"name": "申请人" + f"{n:05d}", "gender": "F" if female else "M", "number": number, "birth": birth,
                  "phone": f"199{rng.randrange(10 ** 8):08d}", "employer": employer, "town": town, "union": union,
                  "job": rng.choice(JOBS)}
        if n < declined:
            submitted = _at(year_start + datetime.timedelta(days=rng.randrange(330)), rng)
            add(status=JoinStatus.DECLINED, submitted=submitted, decided=submitted + datetime.timedelta(days=5),
                reason=rng.choice(DECLINE_REASONS), **person)
        else:
            submitted = _at(today - datetime.timedelta(days=rng.randrange(28)), rng)
            late = join_deadline(timezone.localdate(submitted)) < today
            add(status=JoinStatus.FORWARDED if late else JoinStatus.PENDING, submitted=submitted, **person)
    # Two made-up people may share a number by chance: keep the first (one open request per document).
    seen, unique = set(), []
    for request in requests:
        key = (request.document_number, request.status in (JoinStatus.PENDING, JoinStatus.FORWARDED))
        if request.member_id is None and key in seen:
            continue
        seen.add(key)
        unique.append(request)
    JoinRequest.objects.bulk_create(unique, batch_size=BATCH)
    for request in unique:
        changes.append(JoinRequestChange(join_request=request, from_status="", to_status=JoinStatus.PENDING,
                                         to_union_id=request.union_id, at=request.submitted_at, note="网上提交"))
        if request.status in (JoinStatus.APPROVED, JoinStatus.DECLINED):
            changes.append(JoinRequestChange(
                join_request=request, from_status=JoinStatus.PENDING, to_status=request.status, actor=officer,
                member_id=request.member_id, at=request.decided_at, note=request.decline_reason,
            ))
        elif request.status == JoinStatus.FORWARDED:
            changes.append(JoinRequestChange(
                join_request=request, from_status=JoinStatus.PENDING, to_status=JoinStatus.FORWARDED,
                to_union_id=request.union_id, at=request.escalated_at, note="超过15个工作日未办理，已上报组织部",
            ))
    JoinRequestChange.objects.bulk_create(changes, batch_size=BATCH)
    return len(unique)
