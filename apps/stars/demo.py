"""Demo records (seed_demo) and a year of volume (the lead calls `volume(year=...)` after
generate_volume): a rubric per year and an evaluation for every active union."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.orgs.models import GrassrootsUnion

from .models import (
    Criterion,
    Dimension,
    Evaluation,
    EvaluationScore,
    EvaluationStatus,
    EvaluationStatusChange,
    Rubric,
    StarRating,
    Threshold,
)

# (dimension, title, max score, evidence expected, veto)
CRITERIA = [
    (Dimension.ORGANISATION, "按期换届，工会委员会、经费审查委员会、女职工委员会健全", 15, "换届批复、委员名单", False),
    (Dimension.DEMOCRACY, "坚持职工代表大会制度，厂务公开规范", 15, "职代会决议、厂务公开栏照片", False),
    (Dimension.RIGHTS, "签订并履行集体合同、工资专项集体合同", 20, "集体合同文本及备案回执", False),
    (Dimension.HOME, "职工之家阵地建设，职工书屋、活动室正常开放", 15, "阵地照片、活动记录", False),
    (Dimension.FUNDS, "工会经费独立建账、按时足额拨缴、收支公开", 15, "经费审查报告、拨缴凭证", False),
    (Dimension.SERVICE, "开展送温暖、职工医疗互助、技能竞赛等会员服务", 20, "活动通知、照片、台账", False),
    (Dimension.RIGHTS, "年内发生严重劳动争议或群体性事件", 0, "如有请说明", True),
    (Dimension.ORGANISATION, "年内发生重大安全生产事故", 0, "如有请说明", True),
]
# level: [min, max) out of 100; the top band includes 100.
BANDS = [(1, 60, 70), (2, 70, 80), (3, 80, 88), (4, 88, 95), (5, 95, 100)]


def rubric_default(*, year: int, deadline: datetime.date | None = None) -> Rubric:
    """The year's rubric (version 1), created with the standard criteria when missing."""
    rubric = Rubric.objects.filter(year=year).order_by("-version").first()
    if rubric is not None:
        return rubric
    rubric = Rubric.objects.create(
        year=year, title=f"{year}年度星级工会评定标准", deadline=deadline or datetime.date(year, 11, 30),
    )
    Criterion.objects.bulk_create([
        Criterion(rubric=rubric, dimension=d, title=t, max_score=Decimal(m), evidence_expected=e, is_veto=v,
                  sort_order=i)
        for i, (d, t, m, e, v) in enumerate(CRITERIA, start=1)
    ])
    Threshold.objects.bulk_create([
        Threshold(rubric=rubric, level=lv, min_score=Decimal(lo), max_score=Decimal(hi)) for lv, lo, hi in BANDS
    ])
    return rubric


def seed(stdout=None) -> None:
    """A rubric for this year with its deadline a month ahead; a few past published results."""
    today = timezone.localdate()
    with transaction.atomic():
        rubric_default(year=today.year, deadline=today + datetime.timedelta(days=30))
        last = rubric_default(year=today.year - 1)
        unions = list(GrassrootsUnion.objects.filter(is_active=True, is_catch_all=False).order_by("id")[:6])
        _fill(last, unions, random.Random(7), statuses=[EvaluationStatus.PUBLISHED])
    if stdout is not None:
        stdout.write(f"星级工会：{today.year} 年度评定标准、{today.year - 1} 年度评定结果已就绪。")


def volume(*, year: int, seed: int = 2026) -> int:
    """An evaluation of `year` for every active union without one; returns how many were made."""
    with transaction.atomic():
        rubric = rubric_default(year=year)
        unions = list(GrassrootsUnion.objects.filter(is_active=True).exclude(
            star_evaluations__year=year).order_by("id"))
        rng = random.Random(f"{seed}:{year}")
        statuses = [EvaluationStatus.DRAFT] * 15 + [EvaluationStatus.SUBMITTED] * 15 + \
            [EvaluationStatus.REVIEWED] * 10 + [EvaluationStatus.PUBLISHED] * 60
        return _fill(rubric, unions, rng, statuses=statuses)


def _fill(rubric: Rubric, unions, rng: random.Random, *, statuses) -> int:
    from .services import level_for, rubric_bands

    criteria = list(rubric.criteria.all())
    bands = rubric_bands(rubric)
    now = timezone.now()
    done = set(Evaluation.objects.filter(year=rubric.year, union__in=unions).values_list("union_id", flat=True))
    evaluations, plans = [], []
    for union in unions:
        if union.pk in done:
            continue
        status = rng.choice(statuses)
        quality = rng.uniform(0.55, 1.02)  # a union's overall standard, so that every level occurs
        marks = {c.pk: (min(c.max_score, Decimal(round(float(c.max_score) * rng.uniform(quality - 0.04, quality + 0.04))))
                        if not c.is_veto else Decimal(0)) for c in criteria}
        total = sum(marks.values(), Decimal(0))
        reviewed = status in (EvaluationStatus.REVIEWED, EvaluationStatus.PUBLISHED)
        level = level_for(total=total, bands=bands, vetoed=False) if reviewed else None
        evaluations.append(Evaluation(
            union=union, rubric=rubric, year=rubric.year, status=status,
            self_total=total if status != EvaluationStatus.DRAFT else None,
            submitted_at=now if status != EvaluationStatus.DRAFT else None,
            review_total=total if reviewed else None, level=level, reviewed_at=now if reviewed else None,
            published_at=now if status == EvaluationStatus.PUBLISHED else None,
            valid_until_year=rubric.year + rubric.valid_years - 1 if status == EvaluationStatus.PUBLISHED else None,
            is_demonstration=status == EvaluationStatus.PUBLISHED and level == 5 and rng.random() < 0.5,
        ))
        plans.append(marks)
    Evaluation.objects.bulk_create(evaluations, batch_size=500)
    EvaluationScore.objects.bulk_create([
        EvaluationScore(evaluation=e, criterion_id=cid, self_score=m if e.self_total is not None else None,
                        review_score=m if e.review_total is not None else None)
        for e, marks in zip(evaluations, plans, strict=True) for cid, m in marks.items()
    ], batch_size=2000)
    EvaluationStatusChange.objects.bulk_create([
        EvaluationStatusChange(evaluation=e, from_status="", to_status=e.status, at=now, note="volume",
                               level_after=e.level)
        for e in evaluations if e.status != EvaluationStatus.DRAFT
    ], batch_size=2000)
    StarRating.objects.bulk_create([
        StarRating(union_id=e.union_id, year=e.year, level=e.level, is_demonstration=e.is_demonstration,
                   decided_on=timezone.localdate(), evaluation=e)
        for e in evaluations if e.status == EvaluationStatus.PUBLISHED and e.level
    ], batch_size=1000, ignore_conflicts=True)
    from .services import _honour_entry_show

    for evaluation in evaluations:
        if evaluation.is_demonstration:
            _honour_entry_show(evaluation)  # on the public five-star roll, as a published designation is
    return len(evaluations)
