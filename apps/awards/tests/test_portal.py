"""The portal pages: an officer's nominations (form, refusals, who may see what), a member's
honours, the staff's review screens and numbers, and query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.awards import services
from apps.awards.models import HonourEntry, Nomination, NominationStatus
from tests.factories import MemberFactory, OfficerFactory

from .conftest import DEEDS, photo_upload

pytestmark = pytest.mark.django_db


def new_url(programme):
    return reverse("awards_portal:nomination_new", kwargs={"programme_pk": programme.pk})


def form_data(member, **extra):
    data = {"document_number": member.document_number, "deeds": DEEDS, "contact_phone": "13805791234"}
    data.update(extra)
    return data


def test_officer_saves_a_draft_with_pasted_phone_and_full_width_id(client, officer, member, craftsman_programme):
    client.force_login(officer)
    full_width = member.document_number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    response = client.post(new_url(craftsman_programme), form_data(
        member, document_number=f" {full_width} ", contact_phone="+86 138-0579-1234", photo=photo_upload(),
    ))
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/me/nominations/{nomination.pk}/")
    assert nomination.member == member and nomination.contact_phone == "13805791234" and nomination.photo
    page = client.get(response["Location"]).content.decode()
    assert "提交推荐" in page
    response = client.post(reverse("awards_portal:nomination_submit", kwargs={"pk": nomination.pk}), follow=True)
    assert "推荐已提交" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("photo.jpg", b"this is not an image at all", content_type="image/jpeg"), "图片"),
    (SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (21 * 1024 * 1024), content_type="image/jpeg"),
     "文件过大"),
])
def test_fake_or_oversize_photo_is_refused_and_nothing_saved(client, officer, member, craftsman_programme, upload,
                                                             message):
    client.force_login(officer)
    response = client.post(new_url(craftsman_programme), form_data(member, photo=upload))
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert "请改正后重新选择文件" in page
    assert not Nomination.objects.exists()


def test_another_unions_member_through_the_form_is_refused(client, officer, other_member, craftsman_programme):
    client.force_login(officer)
    response = client.post(new_url(craftsman_programme), form_data(other_member))
    assert "只能推荐本单位工会（或本镇街）的会员和集体。" in response.content.decode()
    assert not Nomination.objects.exists()


def test_unknown_id_number_is_refused(client, officer, craftsman_programme, member):
    client.force_login(officer)
    response = client.post(new_url(craftsman_programme), form_data(member, document_number="330782199001011234"))
    assert "只有在册的工会会员才能被推荐" in response.content.decode()
    assert not Nomination.objects.exists()


def test_submit_outside_window_shows_the_message(client, officer, member, craftsman_programme, draft_for):
    import datetime

    from django.utils import timezone

    draft = draft_for(officer, member, craftsman_programme)
    craftsman_programme.opens_on = timezone.localdate() + datetime.timedelta(days=3)
    craftsman_programme.closes_on = timezone.localdate() + datetime.timedelta(days=9)
    craftsman_programme.save()
    client.force_login(officer)
    response = client.post(reverse("awards_portal:nomination_submit", kwargs={"pk": draft.pk}), follow=True)
    assert "不在本项目的推荐时间内，不能提交推荐。" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == NominationStatus.DRAFT


def test_who_may_see_a_nomination(client, officer, other_officer, member, craftsman_programme, draft_for,
                                  staff_of):
    draft = draft_for(officer, member, craftsman_programme)
    urls = [reverse(f"awards_portal:{name}", kwargs={"pk": draft.pk})
            for name in ("nomination", "nomination_edit", "nomination_photo")]
    assert client.get(urls[0]).status_code == 302  # signed out: to the login page
    client.force_login(other_officer)
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(reverse("awards_portal:nomination_submit", kwargs={"pk": draft.pk})).status_code == 404
    client.force_login(member.user)
    assert client.get(urls[0]).status_code == 403
    assert client.get(reverse("awards_portal:nominations")).status_code == 403
    client.force_login(staff_of("权益保障部"))
    assert client.get(urls[0]).status_code == 403
    client.force_login(officer)
    for url in urls:
        assert client.get(url).status_code == 200


def test_staff_of_another_department_cannot_open_the_review(client, officer, member, craftsman_programme,
                                                             draft_for, staff_of):
    draft = draft_for(officer, member, craftsman_programme)
    client.force_login(staff_of("权益保障部"))
    assert client.get(reverse("admin:awards_nomination_changelist")).status_code == 403
    client.force_login(officer)  # officers never see the review, whatever their group is given
    assert client.get(reverse("admin:awards_nomination_change", args=[draft.pk])).status_code in (302, 403, 404)


@pytest.mark.parametrize("path", [
    "/me/nominations/99999999999999999999/", "/me/nominations/new/99999999999/",
    "/me/nominations/0/edit/", "/me/nominations/new/1/?x=%00",
])
def test_odd_portal_parameters_never_500(client, officer, path):
    client.force_login(officer)
    assert client.get(path).status_code == 404


def test_my_honours_lists_only_my_published_honours(client, member, other_member, craftsman_programme):
    craftsman_programme.is_published = True
    craftsman_programme.save()
    HonourEntry.objects.create(programme=craftsman_programme, name=member.name, member=member,
                               town_street=member.town_street, deeds="技艺精湛")
    HonourEntry.objects.create(programme=craftsman_programme, name=other_member.name, member=other_member,
                               town_street=other_member.town_street, deeds="技艺精湛")
    client.force_login(member.user)
    page = client.get(reverse("awards_portal:my_honours")).content.decode()
    assert "第二届“义乌工匠”评选" in page and other_member.name not in page
    assert reverse("awards_portal:my_honours") in client.get(reverse("members:home")).content.decode()


def _reviewer(staff_of):
    return staff_of("经济技术部")


def test_admin_review_moves_and_reason_form(client, officer, member, craftsman_programme, draft_for, staff_of):
    nomination = services.nomination_submit(nomination=draft_for(officer, member, craftsman_programme),
                                            actor=officer)
    client.force_login(_reviewer(staff_of))
    change = client.get(reverse("admin:awards_nomination_change", args=[nomination.pk])).content.decode()
    assert 'data-move="shortlisted"' in change and 'data-move="rejected"' in change
    move = reverse("admin:awards_nomination_move", args=[nomination.pk, "rejected"])
    assert client.get(move).status_code == 200
    response = client.post(move, {"reason": ""})
    assert response.status_code == 200
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED
    response = client.post(reverse("admin:awards_nomination_move", args=[nomination.pk, "shortlisted"]), {},
                           follow=True)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SHORTLISTED
    assert client.get(reverse("admin:awards_nomination_move", args=[nomination.pk, "nonsense"])).status_code == 404
    assert client.get(reverse("admin:awards_nomination_move", args=[99999999, "awarded"])).status_code == 404
    # Panel scores are recorded on the change page.
    response = client.post(reverse("admin:awards_nomination_change", args=[nomination.pk]), {
        "scores-TOTAL_FORMS": "1", "scores-INITIAL_FORMS": "0", "scores-0-juror": "评委甲", "scores-0-score": "92.5",
        "scores-0-in_favour": "on", "files-TOTAL_FORMS": "0", "files-INITIAL_FORMS": "0",
        "status_changes-TOTAL_FORMS": "0", "status_changes-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    score = nomination.scores.get()
    assert score.recorded_by is not None and str(score.score) == "92.50"


def test_admin_publishes_the_notice_and_numbers_export(client, officer, member, craftsman_programme, draft_for,
                                                       staff_of):
    reviewer = _reviewer(staff_of)
    nomination = services.nomination_submit(nomination=draft_for(officer, member, craftsman_programme),
                                            actor=officer)
    services.nomination_transition(nomination=nomination, target=NominationStatus.SHORTLISTED, actor=reviewer)
    client.force_login(reviewer)
    response = client.post(reverse("admin:awards_awardprogramme_changelist"), {
        "action": "publish_notice", "_selected_action": [craftsman_programme.pk],
    }, follow=True)
    assert "公示已发布" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.ON_NOTICE
    numbers = reverse("admin:awards_awardprogramme_numbers", args=[craftsman_programme.pk])
    assert member.union.name in client.get(numbers).content.decode()
    export = client.get(numbers, {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("admin:awards_awardprogramme_numbers", args=[99999999])).status_code == 404
    export = client.post(reverse("admin:awards_nomination_changelist"), {
        "action": "export_xlsx", "_selected_action": [nomination.pk],
    })
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def _nominations(programme, n):
    officer = OfficerFactory()
    union = officer.union
    for _i in range(n):
        member = MemberFactory(union=union)
        Nomination.objects.create(programme=programme, member=member, union=union,
                                  town_street=member.town_street, nominated_by=officer.user,
                                  status=NominationStatus.SUBMITTED, deeds=DEEDS)
    return officer.user


def _flat(client, url, grow, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.core.cache import public_data_changed

    client.get(url)
    public_data_changed()  # count the rendering's queries, not the page cache's none
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow()
    public_data_changed()
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
    assert len(small.captured_queries) <= 15


def test_nomination_changelist_query_count_is_flat(client, craftsman_programme, staff_of, django_assert_num_queries):
    _nominations(craftsman_programme, 10)
    client.force_login(_reviewer(staff_of))
    _flat(client, reverse("admin:awards_nomination_changelist"), lambda: _nominations(craftsman_programme, 190),
          django_assert_num_queries)


def test_officer_nomination_list_query_count_is_flat(client, craftsman_programme, django_assert_num_queries):
    officer = _nominations(craftsman_programme, 10)
    client.force_login(officer)
    union = officer.union_roles.get().union

    def grow():
        for _i in range(190):
            member = MemberFactory(union=union)
            Nomination.objects.create(programme=craftsman_programme, member=member, union=union,
                                      town_street=member.town_street, nominated_by=officer, deeds=DEEDS)

    _flat(client, reverse("awards_portal:nominations"), grow, django_assert_num_queries)


def test_notice_page_query_count_is_flat(client, craftsman_programme, staff_of, django_assert_num_queries):
    _nominations(craftsman_programme, 10)
    craftsman_programme.nominations.update(status=NominationStatus.SHORTLISTED)
    reviewer = _reviewer(staff_of)
    small = services.programme_notice_publish(programme=craftsman_programme, actor=reviewer)
    _nominations(craftsman_programme, 200)
    craftsman_programme.nominations.filter(status=NominationStatus.SUBMITTED).update(
        status=NominationStatus.SHORTLISTED)
    big = services.programme_notice_publish(programme=craftsman_programme, actor=reviewer)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(f"/notices/{small.pk}/")
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/notices/{small.pk}/")
    with django_assert_num_queries(len(queries.captured_queries)):
        page = client.get(f"/notices/{big.pk}/")
    assert page.status_code == 200 and big.items.count() == 200


def test_craftsmen_roll_query_count_is_flat(client, make_entries, django_assert_num_queries):
    from apps.awards.models import AwardKind

    make_entries(10, kind=AwardKind.CRAFTSMAN, prefix="工匠")
    url = reverse("awards:roll", kwargs={"slug": "craftsmen"})
    _flat(client, url, lambda: make_entries(190, kind=AwardKind.CRAFTSMAN, prefix="工匠"), django_assert_num_queries)


def test_staff_open_supporting_files_and_others_get_404(client, officer, member, craftsman_programme, draft_for,
                                                        staff_of):
    from apps.core.uploads import document_clean

    draft = services.nomination_draft_save(
        actor=officer, programme=craftsman_programme, nomination=draft_for(officer, member, craftsman_programme),
        document_number=member.document_number, deeds=DEEDS, contact_phone="13805791234",
        documents=[document_clean(photo_upload("推荐意见.png"))],
    )
    evidence = draft.files.get()
    url = reverse("admin:awards_nomination_file", args=[draft.pk, evidence.pk])
    client.force_login(_reviewer(staff_of))
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:awards_nomination_file", args=[draft.pk, 999999])).status_code == 404
    client.force_login(staff_of("权益保障部"))
    assert client.get(url).status_code in (403, 404)


def test_team_of_another_unions_employer_is_refused(officer, pioneer_programme):
    from apps.awards.errors import NotNominator
    from tests.factories import EmployerFactory

    with pytest.raises(NotNominator):
        services.nomination_draft_save(
            actor=officer, programme=pioneer_programme, team_name="外单位车间", team_employer=EmployerFactory(),
            team_size=10, team_leader="李师傅", deeds=DEEDS, contact_phone="13805791234",
        )
    assert not Nomination.objects.exists()
