"""Demo records (seed_demo) and a year of volume (generate_volume) for the aid app.

`seed(members=..., officer=...)` is idempotent: this year's five campaigns with their aid types
and amount tables, the year's policy, a hardship file, health programmes with quotas and one
submitted application. `volume(year=..., applications=...)` streams a year of applications over
the members already in the database, in batches, with the budget and yearly-limit ledger kept
consistent with what it approves.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.core.models import Allowance, AllowanceEntry, NumberSequence
from apps.members.models import Member

from .models import (
    AidPolicy,
    AidType,
    AmountRow,
    Application,
    ApplicationStatusChange,
    Campaign,
    CampaignKind,
    Eligibility,
    Facts,
    FileStatus,
    HardshipFile,
    HardshipLevel,
    HealthProgramme,
    HolderRule,
    HouseholdMember,
    ProgrammeKind,
    ProgrammeQuota,
    QuotaScope,
    SchoolLevel,
    Status,
)
from .services import NUMBER_SEQUENCE, yearly_key

BATCH = 2000

# kind, months (start, end), budget, aid types: (name, facts, eligibility, flat standard, table)
STUDENT_TABLE = [
    (SchoolLevel.HIGH, HolderRule.HOLDER, "", "2000"), (SchoolLevel.HIGH, HolderRule.NOT_HOLDER, "", "1000"),
    (SchoolLevel.BACHELOR, HolderRule.HOLDER, "", "5000"), (SchoolLevel.BACHELOR, HolderRule.NOT_HOLDER, "", "3000"),
    (SchoolLevel.GRADUATE, HolderRule.HOLDER, "", "8000"), (SchoolLevel.GRADUATE, HolderRule.NOT_HOLDER, "", "6000"),
]
WINTER_TABLE = [
    ("", HolderRule.ANY, HardshipLevel.DEEP, "3000"), ("", HolderRule.ANY, HardshipLevel.RELATIVE, "2000"),
    ("", HolderRule.ANY, HardshipLevel.SUDDEN, "2500"),
]
CAMPAIGNS = [
    (CampaignKind.SPRING, (2, 3), "300000", [("春风行动就业补贴", Facts.GENERAL, Eligibility.FILE_HOLDERS, "800", [])]),
    (CampaignKind.SUMMER, (6, 8), "500000", [("高温一线慰问", Facts.GENERAL, Eligibility.FRONTLINE, "300", [])]),
    (CampaignKind.AUTUMN, (8, 10), "2000000", [("金秋助学金", Facts.STUDENT, Eligibility.ANY, None, STUDENT_TABLE)]),
    (CampaignKind.WINTER, (12, 12), "3000000", [
        ("冬送温暖慰问金", Facts.GENERAL, Eligibility.FILE_HOLDERS, None, WINTER_TABLE),
        ("女职工关爱慰问", Facts.GENERAL, Eligibility.WOMEN, "500", []),
    ]),
    (CampaignKind.ILLNESS, (1, 12), "5000000", [("大病重病救助", Facts.ILLNESS, Eligibility.ANY, "20000", [])]),
]


def _month_end(year: int, month: int) -> datetime.date:
    return (datetime.date(year + (month == 12), month % 12 + 1, 1)) - datetime.timedelta(days=1)


def campaigns_ensure(year: int) -> list[Campaign]:
    """The year's five campaigns with their aid types and amount tables (created once)."""
    AidPolicy.objects.get_or_create(year=year)
    campaigns = []
    for kind, (first, last), budget, types in CAMPAIGNS:
        campaign, created = Campaign.objects.get_or_create(
            kind=kind, year=year,
            defaults={"title": f"{year}年{CampaignKind(kind).label}", "starts_on": datetime.date(year, first, 1),
                      "ends_on": _month_end(year, last), "budget": Decimal(budget)},
        )
        if created:
            for order, (name, facts, rule, flat, table) in enumerate(types):
                aid_type = AidType.objects.create(campaign=campaign, name=name, facts=facts, eligibility=rule,
                                                  standard_amount=Decimal(flat) if flat else None, sort_order=order)
                AmountRow.objects.bulk_create([
                    AmountRow(aid_type=aid_type, school_level=s, holder=h, hardship_level=lv, amount=Decimal(a))
                    for s, h, lv, a in table
                ])
        campaigns.append(campaign)
    return campaigns


def seed(*, members, officer, stdout=None) -> None:
    """A few aid records for trying the app (idempotent)."""
    today = timezone.localdate()
    campaigns_ensure(today.year)
    # The demo autumn campaign stays open whatever the date, so the member can try applying.
    Campaign.objects.filter(kind=CampaignKind.AUTUMN, year=today.year).update(
        starts_on=min(today, datetime.date(today.year, 8, 1)), ends_on=max(today, datetime.date(today.year, 10, 31)),
    )
    holder = members[2]
    if not HardshipFile.objects.filter(member=holder).exists():
        file = HardshipFile.objects.create(
            member=holder, level=HardshipLevel.RELATIVE, status=FileStatus.OPEN, address="义乌市稠城街道示范路18号",
            primary_cause="illness", secondary_causes=["schooling"], proposed_by_union=holder.union, proposed_by=officer,
            decided_on=today, recheck_due=today + datetime.timedelta(days=20),
        )
        HouseholdMember.objects.bulk_create([
            HouseholdMember(file=file, name=holder.name, relation="本人", age=33, health="慢性病", work="质检员",
                            monthly_income=Decimal("3200")),
            HouseholdMember(file=file, name="刘小宝", relation="子女", age=17, health="健康", work="高中在读"),
        ])
    for kind, title in [(ProgrammeKind.SCREENING, "两癌筛查"), (ProgrammeKind.CHECKUP, "职工免费健康体检"),
                        (ProgrammeKind.RECUPERATION, "一线职工疗休养")]:
        programme, created = HealthProgramme.objects.get_or_create(
            kind=kind, year=today.year, defaults={
                "title": f"{today.year}年{title}", "starts_on": today - datetime.timedelta(days=7),
                "ends_on": today + datetime.timedelta(days=60), "min_age": 35 if kind == ProgrammeKind.SCREENING else None,
                "max_age": 64 if kind == ProgrammeKind.SCREENING else None,
                "quota_scope": QuotaScope.UNION if kind == ProgrammeKind.RECUPERATION else QuotaScope.TOWN, "default_quota": 0,
            },
        )
        if created:
            if kind == ProgrammeKind.RECUPERATION:
                ProgrammeQuota.objects.create(programme=programme, union=holder.union, places=5)
            elif holder.town_street_id:
                ProgrammeQuota.objects.create(programme=programme, town_street=holder.town_street, places=50)
    if stdout is not None:
        stdout.write("困难帮扶：本年度五项活动、1份困难档案、3个健康服务项目已就绪。")


def volume(*, year: int, applications: int = 200_000, seed: int = 2026) -> int:
    """Stream `applications` applications of `year` over the members in the database (at most
    one per member and aid type), in batches of BATCH, with gapless numbers and the budget and
    yearly-limit ledger rows for what is approved. Returns how many were created."""
    campaigns = campaigns_ensure(year)
    types = list(AidType.objects.filter(campaign__in=campaigns).select_related("campaign").prefetch_related("amounts"))
    rng = random.Random(f"aid:{seed}:{year}")
    taken = set(Application.objects.filter(year=year).values_list("member_id", "aid_type_id"))
    statuses = [Status.SUBMITTED, Status.CHECKED, Status.APPROVED, Status.NOTICED, Status.PAID, Status.DECLINED, Status.RETURNED]
    weights = [8, 6, 6, 5, 60, 10, 5]
    created = 0
    budget_used: dict[int, Decimal] = {}
    yearly_used: dict[int, Decimal] = {}
    entries: list[tuple[str, Decimal, str]] = []
    members = Member.objects.filter(status=Member.Status.ACTIVE).values_list("pk", "union_id", "town_street_id").order_by("pk")
    batch: list[Application] = []
    start_date = datetime.date(year, 1, 1)

    def flush():
        nonlocal created
        if not batch:
            return
        with transaction.atomic():
            seq, _new = NumberSequence.objects.get_or_create(key=NUMBER_SEQUENCE, year=year)
            seq = NumberSequence.objects.select_for_update().get(pk=seq.pk)
            for offset, application in enumerate(batch, start=1):
                application.number = f"JZ{year}-{seq.last_value + offset:06d}"
            seq.last_value += len(batch)
            seq.save(update_fields=["last_value"])
            rows = Application.objects.bulk_create(batch, batch_size=BATCH)
            ApplicationStatusChange.objects.bulk_create([
                ApplicationStatusChange(application=a, member_id=a.member_id, from_status=Status.DRAFT,
                                        to_status=a.status, at=a.submitted_at) for a in rows
            ], batch_size=BATCH)
            for a in rows:
                if a.amount is not None and a.status != Status.DECLINED:
                    entries.append((a.campaign.budget_key, a.amount, a.ref))
                    entries.append((yearly_key(a.member_id, year), a.amount, a.ref))
        created += len(batch)
        batch.clear()

    for member_id, union_id, town_id in members.iterator(chunk_size=BATCH):
        if created + len(batch) >= applications:
            break
        for aid_type in rng.sample(types, k=min(len(types), rng.choice([1, 1, 1, 2, 3]))):
            if (member_id, aid_type.pk) in taken or created + len(batch) >= applications:
                continue
            status = rng.choices(statuses, weights)[0]
            rows = list(aid_type.amounts.all())
            amount = rows[rng.randrange(len(rows))].amount if rows else (aid_type.standard_amount or Decimal("500"))
            if aid_type.facts == Facts.ILLNESS:
                amount = Decimal(rng.randrange(20, 200) * 100)
            held = status in (Status.APPROVED, Status.NOTICED, Status.PAID)
            submitted = timezone.make_aware(datetime.datetime.combine(
                max(aid_type.campaign.starts_on, start_date) + datetime.timedelta(days=rng.randrange(0, 28)),
                datetime.time(9 + rng.randrange(9), rng.randrange(60)),
            ))
            batch.append(Application(
                year=year, campaign=aid_type.campaign, aid_type=aid_type, member_id=member_id, union_id=union_id,
                town_street_id=town_id, status=status, submitted_at=submitted, created_at=submitted,
                amount=amount if held else None, school_level=SchoolLevel.BACHELOR if aid_type.facts == Facts.STUDENT else "",
                paid_method="bank" if status == Status.PAID else "", paid_reference=f"YH{year}{rng.randrange(10**8):08d}"
                if status == Status.PAID else "", paid_on=submitted.date() + datetime.timedelta(days=30) if status == Status.PAID else None,
                decline_reason="家庭收入超过标准" if status == Status.DECLINED else "",
                return_reason="请补充证明材料" if status == Status.RETURNED else "",
            ))
            if held:
                budget_used[aid_type.campaign_id] = budget_used.get(aid_type.campaign_id, Decimal("0")) + amount
                yearly_used[member_id] = yearly_used.get(member_id, Decimal("0")) + amount
            taken.add((member_id, aid_type.pk))
        if len(batch) >= BATCH:
            flush()
    flush()
    _ledger_write(year, campaigns, entries)
    return created


def _ledger_write(year: int, campaigns, entries) -> None:
    """Allowance rows and entries for what the volume approved: a campaign's budget rises to
    what was approved when the random draw went over it, so the CHECK constraint holds."""
    policy = AidPolicy.objects.get(year=year)
    totals: dict[str, Decimal] = {}
    for key, amount, _ref in entries:
        totals[key] = totals.get(key, Decimal("0")) + amount
    budgets = {c.budget_key: c for c in campaigns}
    with transaction.atomic():
        existing = {a.key: a for a in Allowance.objects.select_for_update().filter(key__in=list(totals))}
        for key, total in totals.items():
            campaign = budgets.get(key)
            capacity = campaign.budget if campaign else policy.yearly_limit
            row = existing.get(key)
            used = (row.used if row else Decimal("0")) + total
            if used > capacity:
                capacity = used
                if campaign is not None:
                    Campaign.objects.filter(pk=campaign.pk).update(budget=capacity)
            if row is None:
                member_id = int(key.split("member=")[1].split(":")[0]) if "member=" in key else None
                existing[key] = Allowance.objects.create(key=key, label=key, capacity=capacity, used=used,
                                                         member_id=member_id, year=year if member_id else None)
            else:
                row.capacity, row.used = capacity, used
                row.save(update_fields=["capacity", "used", "updated_at"])
        AllowanceEntry.objects.bulk_create(
            [AllowanceEntry(allowance=existing[key], amount=amount, ref=ref) for key, amount, ref in entries], batch_size=BATCH,
        )
