"""The evaluation cycle: rubric rules, the officer's self-assessment, review, publication,
dynamic management and the refusals, each with its Chinese message and nothing changed."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from apps.accounts.roles import ORGANISATION, RIGHTS
from apps.awards.models import AwardKind, HonourEntry
from apps.core.workflow import MoveNotPermitted
from apps.notify.models import StaffNotice
from apps.stars import demo, errors, services
from apps.stars.models import (
    Evaluation,
    EvaluationEvidence,
    EvaluationStatus,
    EvaluationStatusChange,
    Rubric,
    StarRating,
    Threshold,
)
from apps.stars.selectors import review_list
from tests.factories import EmployerFactory, UnionFactory

pytestmark = pytest.mark.django_db
S = EvaluationStatus
D = Decimal


def today():
    return timezone.localdate()


@pytest.fixture
def rubric(db):
    return demo.rubric_default(year=today().year, deadline=today() + datetime.timedelta(days=10))


def png(name="photo.png"):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    out.name = name
    out.seek(0)
    return out


def fill(evaluation, marks=None):
    """Self-score every scored criterion (full marks unless `marks` says)."""
    for score in evaluation.scores.select_related("criterion"):
        if not score.criterion.is_veto:
            score.self_score = (marks or {}).get(score.criterion.sort_order, score.criterion.max_score)
            score.save()


def review(evaluation, veto=False, staff=None):
    """Review scores at full marks (a veto item triggered when `veto`), then mark it reviewed."""
    for score in evaluation.scores.select_related("criterion"):
        if score.criterion.is_veto:
            score.veto_triggered = veto
        else:
            score.review_score = score.criterion.max_score
        score.save()
    return services.evaluation_transition(evaluation=evaluation, target=S.REVIEWED, actor=staff)


@pytest.fixture
def submitted(rubric, officer):
    union = officer.union_roles.get().union
    evaluation = services.evaluation_open(union=union, rubric=rubric)
    fill(evaluation)
    return services.evaluation_transition(evaluation=evaluation, target=S.SUBMITTED, actor=officer)


# ----------------------------------------------------------------------------- rubric

class TestThresholds:
    bands = [services.Band(lv, D(lo), D(hi)) for lv, lo, hi in demo.BANDS]

    @pytest.mark.parametrize("total,level", [
        ("0", None), ("59.9", None), ("60", 1), ("69.9", 1), ("70", 2), ("79.9", 2), ("80", 3), ("87.9", 3),
        ("88", 4), ("94.9", 4), ("95", 5), ("100", 5), ("100.1", None),
    ])
    def test_each_boundary_gives_the_right_level(self, total, level):
        assert services.level_for(total=D(total), bands=self.bands, vetoed=False) == level

    def test_a_veto_item_overrides_full_marks(self):
        assert services.level_for(total=D(100), bands=self.bands, vetoed=True) is None

    def test_joined_bands_are_accepted(self):
        services.thresholds_check(self.bands)

    @pytest.mark.parametrize("bands,words", [
        ([(1, 60, 72), (2, 70, 80)], "重叠"),
        ([(1, 60, 70), (2, 71, 80)], "空档"),
        ([(1, 60, 70), (1, 70, 80)], "每个星级只能设一条分数线"),
        ([(1, 70, 60)], "小于最高分"),
    ])
    def test_overlap_gap_and_repeats_are_refused_with_a_message(self, bands, words):
        with pytest.raises(errors.ThresholdsInvalid) as info:
            services.thresholds_check([services.Band(lv, D(lo), D(hi)) for lv, lo, hi in bands])
        assert words in info.value.message

    def test_admin_refuses_overlapping_thresholds_and_changes_nothing(self, client, staff_of, rubric):
        client.force_login(staff_of(ORGANISATION))
        url = reverse("admin:stars_rubric_change", args=[rubric.pk])
        data = _rubric_post(rubric)
        data["thresholds-1-min_score"] = "65"  # 2 stars from 65 while 1 star runs to 70
        response = client.post(url, data)
        assert response.status_code == 200
        assert "重叠" in response.content.decode()
        assert Threshold.objects.get(rubric=rubric, level=2).min_score == D(70)

    def test_admin_saves_joined_thresholds(self, client, staff_of, rubric):
        client.force_login(staff_of(ORGANISATION))
        data = _rubric_post(rubric)
        data["thresholds-0-max_score"] = "65"
        data["thresholds-1-min_score"] = "65"
        response = client.post(reverse("admin:stars_rubric_change", args=[rubric.pk]), data)
        assert response.status_code == 302
        assert Threshold.objects.get(rubric=rubric, level=2).min_score == D(65)


def _rubric_post(rubric):
    data = {"title": rubric.title, "year": rubric.year, "version": rubric.version,
            "deadline": f"{rubric.deadline:%Y-%m-%d}", "valid_years": rubric.valid_years}
    criteria = list(rubric.criteria.all())
    data.update({"criteria-TOTAL_FORMS": len(criteria), "criteria-INITIAL_FORMS": len(criteria),
                 "criteria-MIN_NUM_FORMS": 0, "criteria-MAX_NUM_FORMS": 1000})
    for i, c in enumerate(criteria):
        data.update({f"criteria-{i}-id": c.pk, f"criteria-{i}-rubric": rubric.pk, f"criteria-{i}-sort_order": c.sort_order,
                     f"criteria-{i}-dimension": c.dimension, f"criteria-{i}-title": c.title,
                     f"criteria-{i}-max_score": c.max_score, f"criteria-{i}-evidence_expected": c.evidence_expected})
        if c.is_veto:
            data[f"criteria-{i}-is_veto"] = "on"
    thresholds = list(rubric.thresholds.all())
    data.update({"thresholds-TOTAL_FORMS": len(thresholds), "thresholds-INITIAL_FORMS": len(thresholds),
                 "thresholds-MIN_NUM_FORMS": 0, "thresholds-MAX_NUM_FORMS": 5})
    for i, t in enumerate(thresholds):
        data.update({f"thresholds-{i}-id": t.pk, f"thresholds-{i}-rubric": rubric.pk, f"thresholds-{i}-level": t.level,
                     f"thresholds-{i}-min_score": t.min_score, f"thresholds-{i}-max_score": t.max_score})
    return data


def test_copying_a_rubric_to_next_year_keeps_criteria_and_thresholds(rubric, client, staff_of):
    client.force_login(staff_of(ORGANISATION))
    response = client.post(reverse("admin:stars_rubric_changelist"),
                           {"action": "copy_to_next_year", "_selected_action": [rubric.pk]})
    assert response.status_code == 302
    copy = Rubric.objects.get(year=rubric.year + 1)
    assert copy.version == 1 and copy.deadline.year == rubric.deadline.year + 1
    assert [c.title for c in copy.criteria.all()] == [c.title for c in rubric.criteria.all()]
    assert [(t.level, t.min_score, t.max_score) for t in copy.thresholds.all()] == [
        (t.level, t.min_score, t.max_score) for t in rubric.thresholds.all()]
    same_year = services.rubric_copy(rubric=rubric, year=rubric.year)
    assert same_year.version == 2


def test_a_rubric_in_use_is_frozen_and_a_new_version_is_offered(submitted, client, staff_of):
    rubric = submitted.rubric
    client.force_login(staff_of(ORGANISATION))
    page = client.get(reverse("admin:stars_rubric_change", args=[rubric.pk])).content.decode()
    assert 'name="criteria-0-max_score"' not in page  # read-only inlines
    data = _rubric_post(rubric)
    data["criteria-0-max_score"] = "99"
    client.post(reverse("admin:stars_rubric_change", args=[rubric.pk]), data)
    assert rubric.criteria.order_by("sort_order").first().max_score == D(15)
    assert services.rubric_current() == rubric
    new = services.rubric_copy(rubric=rubric, year=rubric.year)
    assert services.rubric_current() == new and submitted.rubric_id == rubric.pk


# ----------------------------------------------------------------------------- officer

class TestAssessPage:
    url = reverse("stars:assess")

    def _post(self, evaluation, **overrides):
        data = {"union": evaluation.union_id}
        for score in evaluation.scores.select_related("criterion"):
            if not score.criterion.is_veto:
                data[f"c{score.pk}-self_score"] = str(score.criterion.max_score)
            data[f"c{score.pk}-explanation"] = "已落实"
        data.update(overrides)
        return data

    def test_draft_is_saved_with_full_width_digits_and_evidence(self, client, officer, rubric, sms_outbox):
        client.force_login(officer)
        client.get(self.url)
        evaluation = Evaluation.objects.get()
        first = evaluation.scores.order_by("criterion__sort_order").first()
        data = self._post(evaluation, **{f"c{first.pk}-self_score": "１２.５", f"c{first.pk}-files": png(),
                                         "save": "1"})
        response = client.post(self.url, data)
        assert response.status_code == 302
        first.refresh_from_db()
        assert first.self_score == D("12.5") and first.evidence.get().kind == "image"
        evaluation.refresh_from_db()
        assert evaluation.status == S.DRAFT

    @pytest.mark.parametrize("value,words", [("-1", "之间"), ("16", "之间"), ("abc", "须为数字"), ("1.25", "之间")])
    def test_bad_scores_are_refused_and_nothing_changes(self, client, officer, rubric, value, words):
        client.force_login(officer)
        client.get(self.url)
        evaluation = Evaluation.objects.get()
        first = evaluation.scores.order_by("criterion__sort_order").first()
        data = self._post(evaluation, **{f"c{first.pk}-self_score": value, f"c{first.pk}-files": png(), "submit": "1"})
        page = client.post(self.url, data).content.decode()
        assert words in page and "有填写错误，未保存" in page
        assert not evaluation.scores.exclude(self_score=None).exists()
        assert not EvaluationEvidence.objects.exists()
        evaluation.refresh_from_db()
        assert evaluation.status == S.DRAFT
        # the checked photo is kept server-side and saved with the corrected form
        assert "photo.png" in page
        data = self._post(evaluation, save="1")
        assert client.post(self.url, data).status_code == 302
        assert first.evidence.get().original_name == "photo.png"

    def test_a_fake_file_is_refused(self, client, officer, rubric):
        client.force_login(officer)
        client.get(self.url)
        evaluation = Evaluation.objects.get()
        first = evaluation.scores.order_by("criterion__sort_order").first()
        fake = io.BytesIO(b"MZ not a picture")
        fake.name = "x.jpg"
        page = client.post(self.url, self._post(evaluation, **{f"c{first.pk}-files": fake, "save": "1"})).content.decode()
        assert "有填写错误" in page and not EvaluationEvidence.objects.exists()

    def test_submit_then_read_only(self, client, officer, rubric, sms_outbox):
        union = officer.union_roles.get().union
        union.contact_phone = "+86 138-0579-1234"
        union.save()
        client.force_login(officer)
        client.get(self.url)
        evaluation = Evaluation.objects.get()
        assert client.post(self.url, self._post(evaluation, submit="1")).status_code == 302
        evaluation.refresh_from_db()
        assert evaluation.status == S.SUBMITTED and evaluation.self_total == D(100)
        notice = StaffNotice.objects.get(user=officer)
        assert notice.link == f"/stars/assess/?union={evaluation.union_id}" and notice.read_at is None
        assert notice.title in client.get(self.url).content.decode()  # listed on the officer's page
        from apps.notify.models import SmsMessage

        assert SmsMessage.objects.filter(phone="13805791234", text__contains="已提交").exists()
        page = client.post(self.url, self._post(evaluation, save="1")).content.decode()
        assert "不能再修改" in page
        assert 'name="submit"' not in client.get(self.url).content.decode()

    def test_submit_after_the_deadline_is_refused(self, client, officer, rubric):
        Rubric.objects.filter(pk=rubric.pk).update(deadline=today() - datetime.timedelta(days=1))
        client.force_login(officer)
        client.get(self.url)
        evaluation = Evaluation.objects.get()
        page = client.post(self.url, self._post(evaluation, submit="1"), follow=True).content.decode()
        assert "截止，不能再提交" in page
        evaluation.refresh_from_db()
        assert evaluation.status == S.DRAFT and not evaluation.scores.exclude(self_score=None).exists()

    def test_an_officer_cannot_open_or_submit_another_unions_assessment(self, client, officer, other_officer, rubric):
        other_union = other_officer.union_roles.get().union
        theirs = services.evaluation_open(union=other_union, rubric=rubric)
        client.force_login(officer)
        response = client.get(self.url, {"union": other_union.pk})
        assert response.status_code == 403 and "只能填报、提交本单位工会" in response.content.decode()
        response = client.post(self.url, self._post(theirs, submit="1"))
        assert response.status_code == 403
        theirs.refresh_from_db()
        assert theirs.status == S.DRAFT and not theirs.scores.exclude(self_score=None).exists()
        with pytest.raises(errors.NotYourUnion):
            services.evaluation_transition(evaluation=theirs, target=S.SUBMITTED, actor=officer)

    def test_members_and_staff_without_a_union_get_403(self, client, member, staff_of, rubric):
        for user in (member.user, staff_of(ORGANISATION)):
            client.force_login(user)
            assert client.get(self.url).status_code == 403

    def test_anonymous_is_sent_to_sign_in(self, client):
        assert client.get(self.url).status_code == 302

    def test_odd_parameters_do_not_break_the_page(self, client, officer, rubric):
        client.force_login(officer)
        for value in ("99999999999999999999", "abc"):
            assert client.get(self.url, {"union": value}).status_code == 403
        # a NUL is taken out of the query before the view: the officer's own union answers
        assert client.get(self.url, {"union": "\x00"}).status_code == 200

    def test_evidence_is_served_to_its_union_and_staff_only(self, client, officer, other_officer, staff_of, rubric):
        client.force_login(officer)
        client.get(self.url)
        evaluation = Evaluation.objects.get()
        first = evaluation.scores.order_by("criterion__sort_order").first()
        client.post(self.url, self._post(evaluation, **{f"c{first.pk}-files": png(), "save": "1"}))
        url = reverse("stars:evidence", args=[first.evidence.get().pk])
        assert client.get(url).status_code == 200
        for user in (other_officer, staff_of(RIGHTS)):
            client.force_login(user)
            assert client.get(url).status_code == 404
        client.force_login(staff_of(ORGANISATION))
        assert client.get(url).status_code == 200


# ----------------------------------------------------------------------------- review & publication

def test_return_and_resubmit_keeps_the_history(submitted, officer, staff_of):
    staff = staff_of(ORGANISATION)
    with pytest.raises(errors.ReasonRequired):
        services.evaluation_transition(evaluation=submitted, target=S.RETURNED, actor=staff)
    services.evaluation_transition(evaluation=submitted, target=S.RETURNED, actor=staff, reason="缺少职代会决议")
    notice = StaffNotice.objects.filter(user=officer).first()
    assert "缺少职代会决议" in notice.body
    services.evaluation_transition(evaluation=submitted, target=S.SUBMITTED, actor=officer)
    rows = list(EvaluationStatusChange.objects.filter(evaluation=submitted).values_list("from_status", "to_status", "note"))
    assert rows == [(S.DRAFT, S.SUBMITTED, ""), (S.SUBMITTED, S.RETURNED, "缺少职代会决议"),
                    (S.RETURNED, S.SUBMITTED, "")]


def test_publishing_an_unreviewed_evaluation_is_refused_in_admin(submitted, client, staff_of):
    client.force_login(staff_of(ORGANISATION))
    response = client.post(reverse("admin:stars_evaluation_changelist"),
                           {"action": "publish_selected", "_selected_action": [submitted.pk]}, follow=True)
    assert "未评审的申报不能公布" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED and not StarRating.objects.exists()


def test_wrong_staff_group_cannot_review(submitted, staff_of, client):
    with pytest.raises(MoveNotPermitted):
        services.evaluation_transition(evaluation=submitted, target=S.REVIEWED, actor=staff_of(RIGHTS))
    client.force_login(staff_of(RIGHTS))
    assert client.get(reverse("admin:stars_evaluation_change", args=[submitted.pk])).status_code == 403


def test_review_in_admin_refuses_an_over_max_score(submitted, client, staff_of):
    client.force_login(staff_of(ORGANISATION))
    data = _evaluation_post(submitted, decision=S.REVIEWED)
    data["scores-0-review_score"] = "16"
    page = client.post(reverse("admin:stars_evaluation_change", args=[submitted.pk]), data).content.decode()
    assert "之间" in page
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED and not submitted.scores.exclude(review_score=None).exists()


def test_review_in_admin_sets_total_and_level_then_publish_and_designate(submitted, client, staff_of, officer):
    staff = staff_of(ORGANISATION)
    client.force_login(staff)
    url = reverse("admin:stars_evaluation_change", args=[submitted.pk])
    assert client.get(url).status_code == 200
    data = _evaluation_post(submitted, decision=S.REVIEWED, site_visit_on=f"{today():%Y-%m-%d}", site_visit_note="实地查看职工之家")
    assert client.post(url, data).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.REVIEWED and submitted.review_total == D(100) and submitted.level == 5
    assert submitted.reviewed_by == staff and submitted.site_visit_note == "实地查看职工之家"
    # designating without a decision date is refused and nothing changes
    data = _evaluation_post(submitted, decision=S.PUBLISHED, is_demonstration="on")
    page = client.post(url, data, follow=True).content.decode()
    assert "请填写命名决定日期" in page
    submitted.refresh_from_db()
    assert submitted.status == S.REVIEWED and not submitted.is_demonstration
    data = _evaluation_post(submitted, decision=S.PUBLISHED, is_demonstration="on",
                            demonstration_decided_on=f"{today():%Y-%m-%d}")
    assert client.post(url, data).status_code == 302
    rating = StarRating.objects.get(union=submitted.union, year=submitted.year)
    assert rating.level == 5 and rating.is_demonstration
    entry = HonourEntry.objects.get(union=submitted.union, programme__kind=AwardKind.FIVE_STAR_UNION)
    assert entry.is_public
    assert submitted.union.name in client.get("/honours/five-star-unions/").content.decode()
    assert "评定结果：五星级" in StaffNotice.objects.filter(user=officer).first().body


def _evaluation_post(evaluation, **fields):
    data = {"review_comment": "", "site_visit_on": "", "site_visit_note": "", "demonstration_decided_on": "",
            "decision": "", "decision_reason": "", "new_level": ""}
    scores = list(evaluation.scores.select_related("criterion").order_by("criterion__sort_order", "criterion_id"))
    data.update({"scores-TOTAL_FORMS": len(scores), "scores-INITIAL_FORMS": len(scores), "scores-MIN_NUM_FORMS": 0,
                 "scores-MAX_NUM_FORMS": 0})
    for i, s in enumerate(scores):
        data.update({f"scores-{i}-id": s.pk, f"scores-{i}-evaluation": evaluation.pk,
                     f"scores-{i}-review_score": "" if s.criterion.is_veto else str(s.criterion.max_score),
                     f"scores-{i}-review_comment": ""})
    changes = evaluation.status_changes.count()
    data.update({"status_changes-TOTAL_FORMS": changes, "status_changes-INITIAL_FORMS": changes,
                 "status_changes-MIN_NUM_FORMS": 0, "status_changes-MAX_NUM_FORMS": 0})
    for i, c in enumerate(evaluation.status_changes.all()):
        data[f"status_changes-{i}-id"] = c.pk
        data[f"status_changes-{i}-evaluation"] = evaluation.pk
    data.update(fields)
    return data


def test_a_veto_item_gives_no_star_whatever_the_score(submitted, staff_of):
    evaluation = review(submitted, veto=True, staff=staff_of(ORGANISATION))
    assert evaluation.review_total == D(100) and evaluation.vetoed and evaluation.level is None


def test_lowering_and_withdrawing_a_star_show_publicly(submitted, staff_of, client):
    staff = staff_of(ORGANISATION)
    review(submitted, staff=staff)
    services.evaluation_transition(evaluation=submitted, target=S.PUBLISHED, actor=staff)
    with pytest.raises(errors.LevelNotLower):
        services.evaluation_transition(evaluation=submitted, target=S.PUBLISHED, actor=staff, reason="x", level=5)
    services.evaluation_transition(evaluation=submitted, target=S.PUBLISHED, actor=staff, reason="发生欠薪案件", level=3)
    union_url = reverse("stars:union", args=[submitted.union_id])
    page = client.get(union_url).content.decode()
    assert "三星级" in page and "发生欠薪案件" in page
    services.evaluation_transition(evaluation=submitted, target=S.WITHDRAWN, actor=staff, reason="发生群体性劳动争议")
    page = client.get(union_url).content.decode()
    assert "已摘星" in page and "发生群体性劳动争议" in page
    assert submitted.union.name not in client.get(reverse("stars:list")).content.decode()
    rows = list(submitted.status_changes.values_list("to_status", "level_before", "level_after"))
    assert rows[-2:] == [(S.PUBLISHED, 5, 3), (S.WITHDRAWN, 3, 3)]


def test_review_list_picks_up_repeated_rights_cases_and_expired_stars(rubric):
    from apps.rights.models import RightsCase

    busy, quiet, old = UnionFactory(), UnionFactory(), UnionFactory()
    year = today().year
    for union in (busy, quiet):
        StarRating.objects.create(union=union, year=year, level=4)
    StarRating.objects.create(union=old, year=year - 5, level=5)
    evaluation = Evaluation.objects.create(union=old, rubric=rubric, year=year - 5, status=S.PUBLISHED,
                                           reviewed_at=timezone.now(), level=5, valid_until_year=year - 3)
    StarRating.objects.filter(union=old).update(evaluation=evaluation)
    employer = EmployerFactory(union=busy)
    from apps.rights.models import Category, Channel
    from apps.rights.services import case_submit

    def case():
        case_submit(channel=Channel.ONLINE, category=Category.WAGE_ARREARS, description="拖欠工资三个月，多次讨要未果。",
                    employer=employer, amount_owed=D("9000.00"), worker_name="王小明", worker_phone="13900001111",
                    attachments=[])

    case()
    assert [i.rating.union for i in review_list(year=year)] == [old]
    case()
    names = {i.rating.union: i.reasons for i in review_list(year=year)}
    assert set(names) == {busy, old} and "维权案件 2 件" in names[busy][0]
    assert RightsCase.objects.count() == 2


def test_reminder_a_week_before_the_deadline_once(rubric, officer, other_officer, sms_outbox):
    Rubric.objects.filter(pk=rubric.pk).update(deadline=today() + datetime.timedelta(days=7))
    done = officer.union_roles.get().union
    evaluation = services.evaluation_open(union=done, rubric=rubric)
    fill(evaluation)
    services.evaluation_transition(evaluation=evaluation, target=S.SUBMITTED, actor=officer)
    count = services.unsubmitted_remind()
    assert count >= 1
    reminders = StaffNotice.objects.filter(title="星级自评提交提醒")
    assert reminders.filter(user=other_officer).count() == 1
    assert not reminders.filter(user=officer).exists()
    assert Evaluation.objects.get(union=other_officer.union_roles.get().union).reminded_at is not None
    services.unsubmitted_remind()
    assert reminders.filter(user=other_officer).count() == 1
    Rubric.objects.filter(pk=rubric.pk).update(deadline=today() + datetime.timedelta(days=20))
    assert services.unsubmitted_remind() == 0


def test_beat_schedule_has_the_reminder():
    from django.conf import settings

    assert any(e["task"] == "apps.stars.tasks.stars_remind_unsubmitted" for e in settings.CELERY_BEAT_SCHEDULE.values())


# ----------------------------------------------------------------------------- staff overview

def test_overview_and_export_for_staff_only(submitted, client, staff_of, officer):
    url = reverse("stars:overview")
    client.force_login(staff_of(ORGANISATION))
    page = client.get(url, {"year": submitted.year}).content.decode()
    assert "星级评定概况" in page
    response = client.get(url, {"year": submitted.year, "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    for value in ("\x00", "abc", "99999999999"):
        assert client.get(url, {"year": value}).status_code in (200, 404)
    for user in (officer, staff_of(RIGHTS)):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_demo_and_volume_give_every_union_an_evaluation():
    for _ in range(5):
        UnionFactory()
    demo.seed()
    demo.seed()  # idempotent
    year = today().year
    made = demo.volume(year=year)
    from apps.orgs.models import GrassrootsUnion

    assert made == GrassrootsUnion.objects.filter(is_active=True).count()
    assert demo.volume(year=year) == 0
    assert not GrassrootsUnion.objects.filter(is_active=True).exclude(star_evaluations__year=year).exists()


def test_admin_pages_open(submitted, admin_client):
    for url in (reverse("admin:stars_rubric_changelist"), reverse("admin:stars_rubric_change", args=[submitted.rubric_id]),
                reverse("admin:stars_evaluation_changelist"),
                reverse("admin:stars_evaluation_change", args=[submitted.pk]),
                reverse("admin:stars_evaluationevidence_changelist"), reverse("admin:stars_rubric_add"),
                reverse("admin:stars_evaluation_changelist") + "?year=%00&status=x"):
        assert admin_client.get(url).status_code in (200, 302), url
