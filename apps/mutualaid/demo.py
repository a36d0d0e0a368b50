"""Mutual-aid records for trying the portal (`seed`, called by seed_demo) and a year of volume
for `make bench` (`volume`, called by generate_volume). Both can run again: they add what is
missing and continue the numbering."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from apps.core.models import Allowance, AllowanceEntry, NumberSequence

from .calculation import payable_compute
from .models import (
    BenefitKind,
    BenefitTier,
    BenefitType,
    Channel,
    Claim,
    ClaimStatusChange,
    ContributionPayment,
    Enrolment,
    FixedBenefit,
    Scheme,
    Status,
)

D = Decimal
BATCH = 5000
HOSPITALS = ["义乌市中心医院", "浙江大学医学院附属第四医院", "义乌市中医医院", "义乌市妇幼保健院", "义乌稠州医院",
             "义乌复元医院", "义乌市第二人民医院", "义乌市佛堂镇中心卫生院"]
DIAGNOSES = ["肺炎", "急性阑尾炎", "胆囊结石", "腰椎间盘突出", "骨折", "冠心病", "脑梗死", "高血压", "糖尿病", "肾结石"]
BANKS = ["义乌农商银行", "中国工商银行义乌分行", "中国农业银行义乌分行", "中国建设银行义乌分行", "稠州银行"]


def scheme_with_standard_rules(*, year: int, cover_start: datetime.date, cover_end: datetime.date, version: int = 1,
                               effective_from: datetime.date | None = None) -> Scheme:
    """A scheme with the federation's usual rules: 60 yuan a year, 90 days' waiting, claims
    within 180 days of discharge; 住院医疗互助 after a 1,000 deductible at 50% to 10,000, 60% to
    30,000, 70% above (50,000 a year); 重大疾病 20,000; 女职工特殊疾病 10,000; 80,000 in all."""
    scheme = Scheme.objects.create(
        year=year, version=version, name=f"{year}年度职工医疗互助保障", effective_from=effective_from or cover_start,
        contribution=D("60"), cover_start=cover_start, cover_end=cover_end, waiting_days=90,
        claim_deadline_days=180, overall_cap=D("80000"),
    )
    hospital = BenefitType.objects.create(scheme=scheme, code="hospital", name="住院医疗互助",
                                          kind=BenefitKind.REIMBURSEMENT, deductible=D("1000"), yearly_cap=D("50000"))
    BenefitTier.objects.bulk_create([
        BenefitTier(benefit=hospital, upper_bound=D("10000"), ratio=D("0.5")),
        BenefitTier(benefit=hospital, upper_bound=D("30000"), ratio=D("0.6")),
        BenefitTier(benefit=hospital, upper_bound=None, ratio=D("0.7")),
    ])
    critical = BenefitType.objects.create(scheme=scheme, code="critical", name="重大疾病", kind=BenefitKind.FIXED,
                                          yearly_cap=D("20000"), sort_order=1)
    FixedBenefit.objects.create(benefit=critical, name="恶性肿瘤", amount=D("20000"))
    FixedBenefit.objects.create(benefit=critical, name="急性心肌梗塞", amount=D("20000"), sort_order=1)
    women = BenefitType.objects.create(scheme=scheme, code="women", name="女职工特殊疾病", kind=BenefitKind.FIXED,
                                       yearly_cap=D("10000"), women_only=True, sort_order=2)
    FixedBenefit.objects.create(benefit=women, name="乳腺癌", amount=D("10000"))
    FixedBenefit.objects.create(benefit=women, name="宫颈癌", amount=D("10000"), sort_order=1)
    return scheme


def scheme_of_year(year: int) -> Scheme:
    """The year's first version, created with the standard rules over the calendar year."""
    scheme = Scheme.objects.filter(year=year).order_by("version").first()
    if scheme is None:
        scheme = scheme_with_standard_rules(year=year, cover_start=datetime.date(year, 1, 1),
                                            cover_end=datetime.date(year, 12, 31))
    return scheme


def seed(stdout=None) -> None:
    """A scheme for last year and this year, the demo union's members enrolled, the agency
    login linked to the 稠城 agency point, and one claim of the member with a login."""
    from apps.members.models import Member
    from apps.orgs.models import AgencyPoint, AgencyPointStaff, TownStreet

    from .services import claim_submit, enrolment_create

    today = timezone.localdate()
    with transaction.atomic():
        for year in (today.year - 1, today.year):
            scheme_of_year(year)
        choucheng = TownStreet.objects.get(code="choucheng")
        point, _created = AgencyPoint.objects.get_or_create(
            town_street=choucheng, name="稠城街道职工医疗互助代办点",
        )
        from django.contrib.auth.models import User

        agency = User.objects.filter(username="agency").first()
        if agency is not None:
            AgencyPointStaff.objects.get_or_create(user=agency, point=point)
        members = list(Member.objects.filter(union__name="义乌市示范小商品有限公司工会", status="active").order_by("pk"))
        for member in members:
            for year in (today.year - 1, today.year):
                if not Enrolment.objects.filter(member=member, year=year).exists():
                    scheme = scheme_of_year(year)
                    enrolment_create(member=member, year=year, actor=None, enrolled_on=scheme.cover_start)
        with_login = next((m for m in members if m.user_id), None)
        if with_login is not None and not Claim.objects.filter(member=with_login).exists():
            from django.core.files.base import ContentFile

            from apps.core.uploads import CleanDocument

            admitted = today - datetime.timedelta(days=20)
            pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
            claim_submit(
                member=with_login, channel=Channel.ONLINE, benefit_code="hospital", hospital=HOSPITALS[0],
                admitted_on=admitted, discharged_on=admitted + datetime.timedelta(days=5), diagnosis="肺炎",
                total_cost=D("18000"), insurance_paid=D("10500"), out_of_pocket=D("7500"),
                payee_bank=BANKS[0], payee_account="6228480012345678",
                receipts=[CleanDocument(ContentFile(pdf, name="demo-receipt.pdf"), "pdf", "application/pdf",
                                        "住院发票.pdf")],
                actor=with_login.user,
            )
    if stdout is not None:
        stdout.write("互助保障：已建立本年度和上年度计划、演示会员参保、稠城代办点（agency 账号）和一件演示申请。")


def _reserve(key: str, count: int, year: int) -> int:
    NumberSequence.objects.get_or_create(key=key, year=year)
    row = NumberSequence.objects.select_for_update().get(key=key, year=year)
    start = row.last_value
    row.last_value = start + count
    row.save(update_fields=["last_value"])
    return start


def _enrol_all(year: int, scheme: Scheme, rng: random.Random) -> int:
    """Enrol every active member not yet enrolled in `year` (bulk, in batches)."""
    from apps.members.models import Member

    enrolled = set(Enrolment.objects.filter(year=year).values_list("member_id", flat=True))
    renewing = set(Enrolment.objects.filter(year=year - 1).values_list("member_id", flat=True))
    rows, created = [], 0
    members = Member.objects.filter(status="active").values_list("pk", "union_id", "town_street_id")
    for pk, union_id, town_id in members.iterator(chunk_size=BATCH):
        if pk in enrolled or union_id is None:
            continue
        renewal = pk in renewing or rng.random() < 0.8
        rows.append(Enrolment(
            scheme=scheme, year=year, member_id=pk, union_id=union_id, town_street_id=town_id,
            contribution=scheme.contribution, enrolled_on=scheme.cover_start, is_renewal=renewal,
            covered_from=scheme.cover_start if renewal else scheme.cover_start + datetime.timedelta(days=scheme.waiting_days),
        ))
        if len(rows) >= BATCH:
            Enrolment.objects.bulk_create(rows, batch_size=BATCH)
            created += len(rows)
            rows = []
    Enrolment.objects.bulk_create(rows, batch_size=BATCH)
    return created + len(rows)


def volume(*, claims: int = 300_000, year: int | None = None, seed_value: int = 2026, stdout=None) -> int:
    """A year of mutual aid at realistic volume: every active member enrolled, union payments,
    and `claims` claims in every status, written in batches with bulk_create (the amounts from
    the same pure function, the cap ledger kept consistent). Returns the claims created."""
    from apps.orgs.models import AgencyPoint, TownStreet

    from .services import NUMBER_SEQUENCE, cap_keys, rules_for

    today = timezone.localdate()
    year = year or today.year
    rng = random.Random(f"{seed_value}:{year}")
    with transaction.atomic():
        scheme = scheme_of_year(year)
        enrolled = _enrol_all(year, scheme, rng)
        for town in TownStreet.objects.all():
            AgencyPoint.objects.get_or_create(town_street=town, name=f"{town.full_name}职工医疗互助代办点")
        points = {p.town_street_id: p.pk for p in AgencyPoint.objects.filter(is_active=True).order_by("pk")}
        per_union = Enrolment.objects.filter(year=year).values_list("union_id").annotate(n=Count("id")).order_by()
        paid = set(ContributionPayment.objects.filter(year=year).values_list("union_id", flat=True))
        payments = [
            ContributionPayment(union_id=union_id, year=year, amount=scheme.contribution * n,
                                paid_on=scheme.cover_start, reference=f"VOL{year}-{union_id}")
            for union_id, n in per_union if union_id not in paid
        ]
        ContributionPayment.objects.bulk_create(payments, batch_size=BATCH)
    enrolments = list(Enrolment.objects.filter(year=year).values_list("pk", "member_id", "town_street_id",
                                                                      "covered_from", "member__gender"))
    if not enrolments or claims < 1:
        return 0
    benefits = {b.code: b for b in BenefitType.objects.filter(scheme=scheme).prefetch_related("tiers", "items")}
    last_day = min(scheme.cover_end, today - datetime.timedelta(days=8))
    # What earlier runs granted: a second run continues from the ledger, never past a cap.
    used: dict[tuple, Decimal] = {
        (member_id, key.rsplit("type=", 1)[1]): amount
        for member_id, key, amount in Allowance.objects.filter(key__startswith="mutualaid.cap:", year=year)
        .values_list("member_id", "key", "used")
    }
    # The slots earlier runs filled stay taken, so no stay overlaps (the database refuses it).
    slots: dict[int, set] = {}
    for member_id, admitted, covered_from in Claim.objects.filter(enrolment__year=year).values_list(
        "member_id", "admitted_on", "enrolment__covered_from"
    ).iterator(chunk_size=BATCH):
        slots.setdefault(member_id, set()).add((admitted - covered_from).days // 17)
    statuses = [Status.PAID, Status.APPROVED, Status.CHECKED, Status.SUBMITTED, Status.DECLINED, Status.RETURNED]
    weights = [60, 10, 10, 10, 5, 5]
    made = 0
    while made < claims:
        size = min(BATCH, claims - made)
        with transaction.atomic():
            batch, changes, entries_for = [], [], []
            for _ in range(size):
                pk, member_id, town_id, covered_from, gender = rng.choice(enrolments)
                # The year in 17-day slots, one stay of at most 8 days a slot: stays never overlap.
                free = (last_day - covered_from).days // 17
                taken = slots.setdefault(member_id, set())
                if free < 1 or len(taken) >= free:
                    continue
                slot = rng.randrange(free)
                while slot in taken:
                    slot = (slot + 1) % free
                taken.add(slot)
                admitted = covered_from + datetime.timedelta(days=slot * 17 + rng.randrange(8))
                discharged = admitted + datetime.timedelta(days=rng.randrange(1, 8))
                code = rng.choices(["hospital", "critical", "women"], [90, 6, 4 if gender == "F" else 0])[0]
                benefit = benefits[code]
                item = rng.choice(list(benefit.items.all())) if benefit.kind == BenefitKind.FIXED else None
                total = D(rng.randrange(2000, 90000))
                own = (total * D(rng.choice(["0.25", "0.3", "0.4", "0.5"]))).quantize(D("0.01"))
                status = rng.choices(statuses, weights)[0]
                submitted = discharged + datetime.timedelta(days=rng.randrange(1, 6))
                submitted = min(submitted, today)
                claim = Claim(
                    year=submitted.year, channel=Channel.AGENCY if rng.random() < 0.4 else Channel.ONLINE,
                    member_id=member_id, enrolment_id=pk, scheme=scheme, benefit=benefit, benefit_code=code,
                    fixed_item=item,
                    town_street_id=town_id, hospital=rng.choice(HOSPITALS), admitted_on=admitted,
                    discharged_on=discharged, diagnosis=rng.choice(DIAGNOSES), total_cost=total,
                    insurance_paid=total - own, out_of_pocket=own, payee_bank=rng.choice(BANKS),
                    payee_account=f"6228{rng.randrange(10 ** 12):012d}", status=status,
                    submitted_at=timezone.make_aware(datetime.datetime.combine(submitted, datetime.time(10))),
                )
                if claim.channel == Channel.AGENCY:
                    claim.agency_point_id = points.get(town_id)
                if status in (Status.APPROVED, Status.PAID):
                    result = payable_compute(rules=rules_for(claim), out_of_pocket=own,
                                             paid_this_type=used.get((member_id, code), D("0")),
                                             paid_overall=used.get((member_id, "all"), D("0")))
                    claim.payable_amount, claim.calculation = result.amount, result.as_json()
                    claim.decided_at = claim.submitted_at + datetime.timedelta(days=3)
                    if result.amount > 0:
                        used[(member_id, code)] = used.get((member_id, code), D("0")) + result.amount
                        used[(member_id, "all")] = used.get((member_id, "all"), D("0")) + result.amount
                        entries_for.append((claim, code))
                    if status == Status.PAID:
                        claim.paid_on = min(submitted + datetime.timedelta(days=rng.randrange(5, 40)), today)
                        claim.payment_reference = f"YH{year}{rng.randrange(10 ** 8):08d}"
                if status == Status.DECLINED:
                    claim.decline_reason = "不属于互助保障范围"
                if status == Status.RETURNED:
                    claim.return_note = "请补充费用明细清单"
                batch.append(claim)
            by_year: dict[int, list] = {}
            for claim in batch:
                by_year.setdefault(claim.year, []).append(claim)
            for number_year, group in by_year.items():
                start = _reserve(NUMBER_SEQUENCE, len(group), number_year)
                for offset, claim in enumerate(group, start=1):
                    claim.number = f"HZ{number_year}-{start + offset:06d}"
            Claim.objects.bulk_create(batch, batch_size=BATCH)
            for claim in batch:
                changes.append(ClaimStatusChange(claim=claim, from_status="", to_status=Status.SUBMITTED,
                                                 member_id=claim.member_id, at=claim.submitted_at))
                if claim.status != Status.SUBMITTED:
                    changes.append(ClaimStatusChange(claim=claim, from_status=Status.SUBMITTED, to_status=claim.status,
                                                     member_id=claim.member_id,
                                                     at=claim.submitted_at + datetime.timedelta(days=3)))
            ClaimStatusChange.objects.bulk_create(changes, batch_size=BATCH)
            _ledger_write(entries_for, used, year, scheme, benefits, cap_keys)
            made += size
        if stdout is not None:
            stdout.write(f"互助保障：已生成申请 {made}/{claims}")
    if stdout is not None:
        stdout.write(f"互助保障：参保 {enrolled} 人。")
    return Claim.objects.filter(enrolment__year=year).count()


def _ledger_write(entries_for, used, year, scheme, benefits, cap_keys) -> None:
    """Bring the cap ledger in line with the batch's approved amounts (rows and entries)."""
    if not entries_for:
        return
    keys = {}
    for claim, code in entries_for:
        type_key, all_key = cap_keys(member_id=claim.member_id, year=year, code=code)
        keys[type_key] = (claim.member_id, code)
        keys[all_key] = (claim.member_id, "all")
    existing = {row.key: row for row in Allowance.objects.filter(key__in=keys)}
    new_rows = []
    for key, (member_id, code) in keys.items():
        cap = scheme.overall_cap if code == "all" else benefits[code].yearly_cap
        if key not in existing:
            new_rows.append(Allowance(key=key, label=key, capacity=cap, used=used[(member_id, code)],
                                      member_id=member_id, year=year))
    Allowance.objects.bulk_create(new_rows, batch_size=BATCH)
    for key, row in existing.items():
        row.used = used[keys[key]]
    Allowance.objects.bulk_update(list(existing.values()), ["used"], batch_size=BATCH)
    rows = {row.key: row.pk for row in Allowance.objects.filter(key__in=keys)}
    entries = []
    for claim, code in entries_for:
        for key in cap_keys(member_id=claim.member_id, year=year, code=code):
            entries.append(AllowanceEntry(allowance_id=rows[key], amount=claim.payable_amount,
                                          ref=f"mutualaid.claim:{claim.pk}", at=claim.decided_at))
    AllowanceEntry.objects.bulk_create(entries, batch_size=BATCH)
