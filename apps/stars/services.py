"""What changes star evaluations: rubrics, the officer's self-assessment, the one transition
service that every screen (officer page, admin, task) calls, and the officer's notices."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.notify.services import sms_queue, staff_notify
from apps.notify.texts import sms_template_register

SMS_UNION_NOTICE = sms_template_register(
    "stars.union_notice", name="星级评定通知（发往工会联系电话）", text="{title}。{body}", placeholders=["title", "body"],
)

from . import errors
from .models import (
    Criterion,
    Evaluation,
    EvaluationEvidence,
    EvaluationScore,
    EvaluationStatus,
    EvaluationStatusChange,
    Rubric,
    StarRating,
    Threshold,
)
from .workflows import EVALUATION_FLOW, own_union_officer

S = EvaluationStatus
MAX_EVIDENCE_PER_CRITERION = 10
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")


# ----------------------------------------------------------------------------- rubric rules

@dataclass(frozen=True)
class Band:
    level: int
    min_score: Decimal
    max_score: Decimal


def thresholds_check(bands: list[Band]) -> None:
    """Refuse thresholds that repeat a level, overlap or leave a gap (ThresholdsInvalid).

    Ordered by level, each band must start exactly where the one below ends.
    """
    levels = [b.level for b in bands]
    if len(set(levels)) != len(levels):
        raise errors.ThresholdsInvalid(_("每个星级只能设一条分数线。"))
    ordered = sorted(bands, key=lambda b: b.level)
    for band in ordered:
        if band.min_score < 0 or band.min_score >= band.max_score:
            raise errors.ThresholdsInvalid(
                _("%(level)d 星的最低分 %(min)s 应不小于 0 且小于最高分 %(max)s。")
                % {"level": band.level, "min": band.min_score, "max": band.max_score}
            )
    for lower, upper in zip(ordered, ordered[1:], strict=False):
        if upper.min_score < lower.max_score:
            raise errors.ThresholdsInvalid(
                _("%(a)d 星（%(amin)s–%(amax)s 分）与 %(b)d 星（从 %(bmin)s 分起）的分数段重叠。")
                % {"a": lower.level, "amin": lower.min_score, "amax": lower.max_score, "b": upper.level,
                   "bmin": upper.min_score}
            )
        if upper.min_score > lower.max_score:
            raise errors.ThresholdsInvalid(
                _("%(a)d 星的最高分 %(amax)s 与 %(b)d 星的最低分 %(bmin)s 之间有空档，分数段须首尾相接。")
                % {"a": lower.level, "amax": lower.max_score, "b": upper.level, "bmin": upper.min_score}
            )


def level_for(*, total: Decimal | None, bands: list[Band], vetoed: bool) -> int | None:
    """The star level a total earns: none when a veto item is triggered or below every band.

    A band covers min_score (included) to max_score (excluded), the top band its max included.
    """
    if vetoed or total is None or not bands:
        return None
    ordered = sorted(bands, key=lambda b: b.level)
    top = ordered[-1]
    for band in ordered:
        if band.min_score <= total < band.max_score or (band is top and band.min_score <= total <= band.max_score):
            return band.level
    return None


def rubric_bands(rubric: Rubric) -> list[Band]:
    return [Band(t.level, t.min_score, t.max_score) for t in rubric.thresholds.all()]


def rubric_copy(*, rubric: Rubric, year: int, actor: User | None = None) -> Rubric:
    """A new rubric for `year` with the criteria and thresholds of `rubric` (a new version when
    `year` already has one); its deadline moves by the years between."""
    with transaction.atomic():
        latest = Rubric.objects.select_for_update().filter(year=year).order_by("-version").first()
        version = latest.version + 1 if latest else 1
        shift = year - rubric.year
        try:
            deadline = rubric.deadline.replace(year=rubric.deadline.year + shift)
        except ValueError:  # 29 February into a common year
            deadline = rubric.deadline.replace(year=rubric.deadline.year + shift, day=28)
        copy = Rubric.objects.create(
            year=year, version=version, title=rubric.title.replace(str(rubric.year), str(year)),
            deadline=deadline, valid_years=rubric.valid_years,
        )
        Criterion.objects.bulk_create([
            Criterion(rubric=copy, dimension=c.dimension, title=c.title, max_score=c.max_score,
                      evidence_expected=c.evidence_expected, is_veto=c.is_veto, sort_order=c.sort_order)
            for c in rubric.criteria.all()
        ])
        Threshold.objects.bulk_create([
            Threshold(rubric=copy, level=t.level, min_score=t.min_score, max_score=t.max_score)
            for t in rubric.thresholds.all()
        ])
    return copy


def rubric_current(*, today=None) -> Rubric | None:
    """The rubric officers assess against now: the newest version of the newest year."""
    return Rubric.objects.order_by("-year", "-version").first()


# ----------------------------------------------------------------------------- self-assessment

def score_parse(raw, *, criterion: Criterion) -> Decimal | None:
    """A typed score as Decimal (full-width digits accepted), checked against 0..max_score.

    Empty gives None (not scored yet); raises ScoreInvalid / ScoreOutOfRange.
    """
    text = str(raw if raw is not None else "").translate(_FULL_WIDTH).strip()
    if text == "":
        return None
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
        raise errors.ScoreInvalid(_("“%(title)s”的分数须为数字。") % {"title": criterion.title})
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise errors.ScoreInvalid(_("“%(title)s”的分数须为数字。") % {"title": criterion.title}) from None
    if value < 0 or value > criterion.max_score or value != value.quantize(Decimal("0.1")):
        raise errors.ScoreOutOfRange(criterion.title, criterion.max_score)
    return value


def evaluation_open(*, union, rubric: Rubric) -> Evaluation:
    """The union's evaluation of the rubric's year, created as a draft with a row per criterion."""
    evaluation, created = Evaluation.objects.get_or_create(
        union=union, year=rubric.year, defaults={"rubric": rubric}
    )
    if created or not evaluation.scores.exists():
        EvaluationScore.objects.bulk_create(
            [EvaluationScore(evaluation=evaluation, criterion=c) for c in evaluation.rubric.criteria.all()],
            ignore_conflicts=True,
        )
    return evaluation


@dataclass
class ScoreInput:
    score_id: int
    self_score: Decimal | None
    explanation: str
    self_veto: bool
    files: list  # CleanDocument, already checked by content


def evaluation_draft_save(*, evaluation: Evaluation, actor: User, entries: list[ScoreInput]) -> Evaluation:
    """Save the officer's scores, explanations and checked evidence files on an editable
    evaluation of their own union (draft or returned)."""
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if not own_union_officer(actor, locked):
            raise errors.NotYourUnion()
        if locked.status not in (S.DRAFT, S.RETURNED):
            raise errors.NotEditable()
        scores = {s.pk: s for s in locked.scores.select_related("criterion")}
        for entry in entries:
            score = scores.get(entry.score_id)
            if score is None:
                continue
            score.self_score = entry.self_score
            score.explanation = entry.explanation.strip()
            score.self_veto = entry.self_veto
            score.save(update_fields=["self_score", "explanation", "self_veto"])
            for clean in entry.files:
                EvaluationEvidence.objects.create(
                    score=score, file=clean.content, kind=clean.kind, content_type=clean.content_type,
                    original_name=clean.original_name, uploaded_by=actor,
                )
    return locked


def _total(values) -> Decimal:
    return sum((v for v in values if v is not None), Decimal("0"))


def evaluation_transition(
    *,
    evaluation: Evaluation,
    target: str,
    actor: User | None,
    reason: str = "",
    level: int | None = None,
) -> Evaluation:
    """Move an evaluation to `target`, whatever screen asks, and tell the union's officers.

    Locks the row and checks EVALUATION_FLOW on it. Submitting needs the year's deadline not
    passed and every scored criterion scored; reviewing needs every review score and computes
    the total, the veto and the level from the rubric's thresholds; publishing (only a reviewed
    evaluation) writes the union's StarRating for the year (and its five-star demonstration
    designation); published → published lowers the level with a reason (降星); withdrawn
    takes the star away (摘星). Each move writes an EvaluationStatusChange row.
    """
    now = timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().select_related("union", "rubric").get(pk=evaluation.pk)
        if target == S.PUBLISHED and locked.status not in (S.REVIEWED, S.PUBLISHED):
            raise errors.NotReviewed()
        EVALUATION_FLOW.check(
            obj=locked, current=locked.status, target=target, actor=actor,
            details={"reason": reason, "level": level},
        )
        previous, level_before = locked.status, locked.level
        scores = list(locked.scores.select_related("criterion"))
        if target == S.SUBMITTED:
            if timezone.localdate() > locked.rubric.deadline:
                raise errors.DeadlinePassed(locked.rubric.deadline)
            missing = [s for s in scores if not s.criterion.is_veto and s.self_score is None]
            if missing:
                raise errors.SelfScoresMissing(len(missing))
            locked.self_total = _total(s.self_score for s in scores)
            locked.submitted_at = now
        elif target == S.RETURNED:
            locked.returned_reason = reason
        elif target == S.REVIEWED:
            missing = [s for s in scores if not s.criterion.is_veto and s.review_score is None]
            if missing:
                raise errors.ReviewScoresMissing(len(missing))
            locked.review_total = _total(s.review_score for s in scores)
            locked.vetoed = any(s.veto_triggered for s in scores if s.criterion.is_veto)
            locked.level = level_for(total=locked.review_total, bands=rubric_bands(locked.rubric), vetoed=locked.vetoed)
            locked.reviewed_by, locked.reviewed_at = actor, now
            if locked.level != 5:
                locked.is_demonstration, locked.demonstration_decided_on = False, None
        elif target == S.PUBLISHED and previous == S.REVIEWED:
            if locked.is_demonstration and locked.level != 5:
                raise errors.DemonstrationNeedsFiveStars()
            if locked.is_demonstration and not locked.demonstration_decided_on:
                raise errors.DemonstrationDateRequired()
            locked.published_at = now
            locked.valid_until_year = locked.year + locked.rubric.valid_years - 1
            if locked.level:
                _rating_write(locked, decided_on=timezone.localdate())
        elif target == S.PUBLISHED:  # 降星
            if locked.level is None or int(level) >= locked.level or int(level) < 1:
                raise errors.LevelNotLower()
            locked.level = int(level)
            locked.withdrawn_reason = reason
            if locked.level != 5:
                locked.is_demonstration = False
            _rating_write(locked, decided_on=timezone.localdate(), note=reason)
        elif target == S.WITHDRAWN:
            locked.withdrawn_reason = reason
            StarRating.objects.filter(evaluation=locked).update(
                withdrawn_on=timezone.localdate(), change_note=reason, is_demonstration=False
            )
            _honour_entry_hide(locked)
        locked.status = target
        locked.save()
        EvaluationStatusChange.objects.create(
            evaluation=locked, from_status=previous, to_status=target, actor=actor, at=now, note=reason,
            level_before=level_before, level_after=locked.level,
        )
        _officers_tell(locked, *_decision_text(locked, previous, reason))
    return locked


def _rating_write(evaluation: Evaluation, *, decided_on, note: str = "") -> None:
    rating, _created = StarRating.objects.update_or_create(
        union=evaluation.union, year=evaluation.year,
        defaults={"level": evaluation.level, "is_demonstration": evaluation.is_demonstration,
                  "decided_on": evaluation.demonstration_decided_on or decided_on, "evaluation": evaluation,
                  "change_note": note, "withdrawn_on": None},
    )
    if evaluation.is_demonstration:
        _honour_entry_show(evaluation)
    else:
        _honour_entry_hide(evaluation)


def _honour_entry_show(evaluation: Evaluation) -> None:
    """Put a designated 五星级示范工会 on the public roll /honours/five-star-unions/ (the awards
    app's published programme of that year, created when missing; the 2018 seed is untouched)."""
    from apps.awards.models import AwardKind, AwardProgramme, HonourEntry

    programme, _created = AwardProgramme.objects.get_or_create(
        kind=AwardKind.FIVE_STAR_UNION, year=evaluation.year,
        defaults={"title": _("%(year)d年度五星级示范工会") % {"year": evaluation.year}, "is_published": True},
    )
    HonourEntry.objects.update_or_create(
        programme=programme, name=evaluation.union.name,
        defaults={"union": evaluation.union, "town_street_id": evaluation.union.town_street_id,
                  "deeds": _("%(year)d年度星级工会评定五星级，命名为五星级示范工会。") % {"year": evaluation.year},
                  "is_published": True},
    )


def _honour_entry_hide(evaluation: Evaluation) -> None:
    from apps.awards.models import AwardKind, HonourEntry

    HonourEntry.objects.filter(
        programme__kind=AwardKind.FIVE_STAR_UNION, programme__year=evaluation.year, union=evaluation.union
    ).update(is_published=False)


def _decision_text(evaluation: Evaluation, previous: str, reason: str) -> tuple[str, str]:
    year = evaluation.year
    status = evaluation.status
    if status == S.SUBMITTED:
        return _("星级自评已提交"), _("%(year)d年度星级工会自评已提交，等待组织部评审。") % {"year": year}
    if status == S.RETURNED:
        return _("星级自评被退回"), _("%(year)d年度星级工会自评被退回修改，原因：%(reason)s") % {"year": year, "reason": reason}
    if status == S.REVIEWED:
        return _("星级自评已评审"), _("%(year)d年度星级工会自评已评审，结果公布后另行通知。") % {"year": year}
    if status == S.PUBLISHED and previous == S.PUBLISHED:
        return _("星级已调整"), _("%(year)d年度星级调整为%(level)s，原因：%(reason)s") % {
            "year": year, "level": evaluation.get_level_display(), "reason": reason}
    if status == S.PUBLISHED:
        result = evaluation.get_level_display() if evaluation.level else _("未达到星级")
        return _("星级评定结果公布"), _("%(year)d年度星级工会评定结果：%(result)s。") % {"year": year, "result": result}
    return _("星级被摘除"), _("%(year)d年度星级已摘除，原因：%(reason)s") % {"year": year, "reason": reason}


def _officers_tell(evaluation: Evaluation, title: str, body: str) -> None:
    """A staff notice (apps.notify, `staff_notify`) for each active officer of the union,
    linking to the self-assessment page, and one SMS to the union's contact phone (officer
    logins carry no phone of their own)."""
    from apps.orgs.models import UnionOfficer

    officers = UnionOfficer.objects.filter(union_id=evaluation.union_id, is_active=True).select_related("user")
    staff_notify(users=[o.user for o in officers], title=title, body=body,
                 link=f"{reverse('stars:assess')}?union={evaluation.union_id}")
    phone = union_phone(evaluation.union)
    if phone:
        sms_queue(phone=phone, template=SMS_UNION_NOTICE, values={"title": title, "body": body.rstrip("。")},
                  purpose="notice")


def union_phone(union) -> str:
    """The union's contact phone as an 11-digit mobile number, or "" (a desk line gets no SMS)."""
    digits = re.sub(r"\D", "", (union.contact_phone or "").translate(_FULL_WIDTH))
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits if re.fullmatch(r"1[3-9]\d{9}", digits) else ""


# ----------------------------------------------------------------------------- reminders

REMIND_DAYS_BEFORE = 7


def unsubmitted_remind(*, today=None) -> int:
    """A week (or less) before a rubric's deadline, remind the officers of every active union
    that has not submitted; once per union and rubric. Returns the number of unions reminded."""
    from .selectors import unions_not_submitted

    today = today or timezone.localdate()
    rubric = rubric_current()
    if rubric is None or not (0 <= (rubric.deadline - today).days <= REMIND_DAYS_BEFORE):
        return 0
    reminded = Evaluation.objects.filter(rubric=rubric, reminded_at__isnull=False).values("union_id")
    count = 0
    for union in unions_not_submitted(year=rubric.year).exclude(pk__in=reminded):
        with transaction.atomic():
            evaluation = evaluation_open(union=union, rubric=rubric)
            evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
            if evaluation.reminded_at is not None:  # another run reminded it meanwhile
                continue
            _officers_tell(
                evaluation, _("星级自评提交提醒"),
                _("%(year)d年度星级工会自评将于 %(deadline)s 截止，请尽快在“星级自评”中填报提交。")
                % {"year": rubric.year, "deadline": f"{rubric.deadline:%Y-%m-%d}"},
            )
            evaluation.reminded_at = timezone.now()
            evaluation.save(update_fields=["reminded_at"])
        count += 1
    return count
