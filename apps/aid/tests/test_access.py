"""Who may see what: the owner, another member, another union's officer, the wrong staff group."""

import pytest
from django.urls import reverse

from apps.accounts import roles
from apps.aid.models import Status
from tests.factories import AgencyStaffFactory

from .conftest import submitted_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(member, student_aid):
    return submitted_student(member, student_aid)


def test_owner_sees_application_and_file(client, member, application):
    client.force_login(member.user)
    assert client.get(reverse("aid:mine_detail", kwargs={"pk": application.pk})).status_code == 200
    document = application.documents.get()
    response = client.get(reverse("aid:document", kwargs={"pk": document.pk}))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_another_member_gets_404_everywhere(client, other_member, application):
    client.force_login(other_member.user)
    document = application.documents.get()
    for url in [
        reverse("aid:mine_detail", kwargs={"pk": application.pk}), reverse("aid:edit", kwargs={"pk": application.pk}),
        reverse("aid:document", kwargs={"pk": document.pk}),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("aid:edit", kwargs={"pk": application.pk}), {"child_name": "x", "save": "1"}).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, application):
    response = client.get(reverse("aid:mine_detail", kwargs={"pk": application.pk}))
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert client.get(reverse("aid:document", kwargs={"pk": application.documents.get().pk})).status_code == 302


def test_own_union_officer_sees_it_in_admin_other_union_officer_does_not(client, officer, other_officer, application):
    change = reverse("admin:aid_application_change", args=[application.pk])
    document = reverse("aid:document", kwargs={"pk": application.documents.get().pk})
    client.force_login(officer)
    assert client.get(change).status_code == 200
    assert client.get(document).status_code == 200
    listing = client.get(reverse("admin:aid_application_changelist"))
    assert [a.pk for a in listing.context["cl"].result_list] == [application.pk]
    client.force_login(other_officer)
    assert client.get(change).status_code == 404
    assert client.get(document).status_code == 404
    listing = client.get(reverse("admin:aid_application_changelist"))
    assert list(listing.context["cl"].result_list) == []


def test_agency_point_of_another_town_sees_nothing(client, application):
    from apps.orgs.models import TownStreet

    other_town = TownStreet.objects.exclude(pk=application.town_street_id).first()
    staff = AgencyStaffFactory(point__town_street=other_town).user
    client.force_login(staff)
    assert client.get(reverse("admin:aid_application_change", args=[application.pk])).status_code in (403, 404)


@pytest.mark.parametrize("group", [roles.RIGHTS, roles.ORGANISATION, roles.MUTUAL_AID, roles.COUNSELLING])
def test_wrong_staff_groups_get_403(client, staff_of, application, group):
    client.force_login(staff_of(group))
    for url in [
        reverse("admin:aid_application_changelist"), reverse("admin:aid_application_change", args=[application.pk]),
        reverse("admin:aid_application_decide", args=[application.pk]), reverse("admin:aid_application_numbers"),
        reverse("admin:aid_hardshipfile_changelist"), reverse("aid:document", kwargs={"pk": application.documents.get().pk}),
    ]:
        assert client.get(url).status_code == 403, url


def test_leadership_reads_but_cannot_decide(client, staff_of, application):
    client.force_login(staff_of(roles.LEADERSHIP))
    assert client.get(reverse("admin:aid_application_change", args=[application.pk])).status_code == 200
    response = client.post(reverse("admin:aid_application_decide", args=[application.pk]), {"target": "checked"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_admin_change_page_masks_the_id_number(client, aid_staff, member, application):
    client.force_login(aid_staff)
    html = client.get(reverse("admin:aid_application_change", args=[application.pk])).content.decode()
    assert member.document_number not in html and member.masked_document in html
