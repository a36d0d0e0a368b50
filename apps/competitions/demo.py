"""Demo records (called from seed_demo) and volume for performance checks (called by the lead).

Both go through the services where a rule applies (registration, withdrawal, results,
review), so demo data obeys the same limits as real data; volume uses bulk inserts and keeps
the limits ledger consistent by recounting the event places it fills.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.core.errors import DomainError
from apps.core.limits import Limit, limits_lock, limits_take
from apps.core.models import sequence_next
from apps.members.models import Member
from apps.orgs.models import GrassrootsUnion

from .models import Competition, Event, Proposal, Registration, Round, Score
from .services import (
    event_results_compute,
    event_results_publish,
    proposal_submit,
    proposal_transition,
    registration_create,
)

CITY_COMPETITION = "义乌市第十二届劳动技能竞赛"
TRADES = [
    ("电工", "维修电工", 3, 40), ("电子商务", "电子商务客服", 0, 60), ("叉车司机", "叉车驾驶", 0, 30),
    ("数控车工", "数控车床操作", 4, 24), ("护理员", "养老护理", 0, 30),
]


def _event(competition, trade, name, *, opens, closes, held, level=0, capacity=30, **extra):
    event, created = Event.objects.get_or_create(
        competition=competition, name=name,
        defaults={"trade": trade, "registration_opens": opens, "registration_closes": closes, "held_on": held,
                  "required_level": level, "capacity": capacity, "min_age": 18, "max_age": 60, **extra},
    )
    if created:
        Round.objects.create(event=event, kind=Round.Kind.THEORY, weight=Decimal("30"))
        Round.objects.create(event=event, kind=Round.Kind.PRACTICAL, weight=Decimal("70"))
    return event


def seed(stdout=None) -> None:
    """A city competition open for registration now, last year's with published results, a
    grassroots competition of the demo union, and two proposals. Idempotent."""
    today = timezone.localdate()
    members = list(Member.objects.filter(status=Member.Status.ACTIVE).exclude(membership_number=None)
                   .order_by("pk")[:6])
    union = members[0].union if members else GrassrootsUnion.objects.order_by("pk").first()
    current, _ = Competition.objects.get_or_create(
        name=CITY_COMPETITION, defaults={"year": today.year, "one_event_only": True,
                                         "description": "举办市第十二届劳动技能竞赛和基层职业技能竞赛，广泛开展技术比武。"})
    for trade, name, level, capacity in TRADES:
        _event(current, trade, name, opens=today - datetime.timedelta(days=7), closes=today + datetime.timedelta(days=21),
               held=today + datetime.timedelta(days=40), level=level, capacity=capacity)
    past, created_past = Competition.objects.get_or_create(
        name="义乌市第十一届劳动技能竞赛", defaults={"year": today.year - 1, "one_event_only": True})
    held = today - datetime.timedelta(days=200)
    finished = _event(past, "电子商务", "电子商务客服（第十一届）", opens=held - datetime.timedelta(days=40),
                      closes=held - datetime.timedelta(days=10), held=held, capacity=10,
                      tie_break=Event.TieBreak.PRACTICAL, min_age=None, max_age=None)
    if created_past and members:
        rounds = list(finished.rounds.all())
        for index, member in enumerate(members):
            try:
                registration = registration_create(event=finished, member=member, actor=None,
                                                   today=finished.registration_opens)
            except DomainError:  # a member of the database at hand who does not qualify
                continue
            for rnd in rounds:
                Score.objects.create(registration=registration, round=rnd, points=Decimal(95 - index * 3))
        if Registration.objects.filter(event=finished).exists():
            event_results_compute(event=finished, actor=None)
            event_results_publish(event=finished, actor=None)
    if union is not None:
        grassroots, _ = Competition.objects.get_or_create(
            name=f"{union.name}技术比武", defaults={"year": today.year, "organiser": union, "one_event_only": False})
        _event(grassroots, "缝纫工", "缝纫技能比武", opens=today - datetime.timedelta(days=3),
               closes=today + datetime.timedelta(days=10), held=today + datetime.timedelta(days=14), capacity=20)
    if members and not Proposal.objects.filter(member=members[0]).exists():
        adopted = proposal_submit(member=members[0], kind=Proposal.Kind.INNOVATION, title="针织机断纱自动停机装置",
                                  problem="断纱后机器空转，产生次品。", proposal="加装断纱传感器，断纱即停机报警。",
                                  expected_benefit="每年减少次品损失约5万元。", consent_public=True,
                                  co_authors=members[1:2])
        from django.contrib.auth.models import User

        reviewer = User.objects.filter(is_superuser=True).first()
        if reviewer is not None:
            proposal_transition(proposal=adopted, target=Proposal.Status.ADOPTED, actor=reviewer,
                                benefit=Decimal("52000"), award_amount=Decimal("2000"))
            from apps.innovation.models import Studio

            studio = Studio.objects.order_by("pk").first()  # the innovation demo's studio counts it
            if studio is not None:
                studio.proposals.add(adopted)
        proposal_submit(member=members[0], kind=Proposal.Kind.SUGGESTION, title="仓库拣货路线优化",
                        problem="拣货员往返路线重复。", proposal="按热销程度重新分区。", expected_benefit="提高拣货效率约两成。")
    if stdout is not None:
        stdout.write("劳动和技能竞赛：演示竞赛、项目、成绩和合理化建议已就绪。")


def volume(*, events: int = 20, entrants: int = 150, proposals: int = 2000, year: int | None = None,
           seed: int = 2026) -> dict:
    """Volume for performance checks: `events` events of one competition of `year`, each with
    up to `entrants` registered members (scored and ranked, half of the events published), and
    `proposals` proposals over the members' unions, a third adopted. Returns what was made."""
    rng = random.Random(seed)
    today = timezone.localdate()
    year = year or today.year
    member_ids = list(Member.objects.filter(status=Member.Status.ACTIVE).exclude(membership_number=None)
                      .values_list("pk", flat=True)[:max(entrants, 1) * 4 + proposals])
    if not member_ids:
        raise ValueError("generate members first (generate_volume --members)")
    made = {"events": 0, "registrations": 0, "proposals": 0}
    with transaction.atomic():
        competition = Competition.objects.create(name=f"劳动技能竞赛（性能数据 {year}-{seed}-{rng.randrange(10**6)}）",
                                                 year=year, one_event_only=False)
        held = datetime.date(year, 6, 1)
        for index in range(events):
            event = _event(competition, TRADES[index % len(TRADES)][0], f"项目{index + 1}",
                           opens=held - datetime.timedelta(days=60), closes=held - datetime.timedelta(days=10),
                           held=held, capacity=entrants)
            chosen = rng.sample(member_ids, min(entrants, len(member_ids)))
            regs = Registration.objects.bulk_create([Registration(event=event, member_id=pk) for pk in chosen])
            rows = limits_lock([Limit(event.limit_key, event.capacity, label=event.name)])
            for registration in regs:
                limits_take(rows, amount=1, ref=registration.ref)
            rounds = list(event.rounds.all())
            Score.objects.bulk_create([Score(registration=r, round=rnd, points=Decimal(rng.randint(400, 1000)) / 10)
                                       for r in regs for rnd in rounds])
            event_results_compute(event=event, actor=None)
            if index % 2 == 0:
                Event.objects.filter(pk=event.pk).update(results_published_at=timezone.now())
            made["events"] += 1
            made["registrations"] += len(regs)
        members = {m.pk: m for m in Member.objects.filter(pk__in=member_ids[:proposals])}
        batch = []
        for index, pk in enumerate(member_ids[:proposals]):
            member = members[pk]
            status = rng.choice([Proposal.Status.ADOPTED, Proposal.Status.NOT_ADOPTED, Proposal.Status.SUBMITTED])
            batch.append(Proposal(
                number=f"JY{year}-{sequence_next(key='competitions.proposal', year=year):06d}", kind=rng.choice(Proposal.Kind.values),
                title=f"合理化建议{index + 1}", problem="问题", proposal="建议", expected_benefit="效益",
                member=member, union_id=member.union_id, town_street_id=member.town_street_id, year=year,
                status=status, consent_public=rng.random() < 0.7,
                benefit=Decimal(rng.randint(1000, 200000)) if status == Proposal.Status.ADOPTED else None,
                reason="暂不具备实施条件" if status == Proposal.Status.NOT_ADOPTED else "",
                reviewed_at=timezone.now() if status != Proposal.Status.SUBMITTED else None,
            ))
        Proposal.objects.bulk_create(batch, batch_size=2000)
        made["proposals"] = len(batch)
    return made
