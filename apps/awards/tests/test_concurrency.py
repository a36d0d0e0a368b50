"""Two officers submit for a union's last quota place at the same moment, on PostgreSQL."""

import threading

import pytest
from django.db import connection

from apps.awards import services
from apps.awards.models import Nomination, NominationStatus
from apps.core.limits import LimitExceeded, allowance_used
from apps.core.uploads import photo_clean
from tests.factories import MemberFactory, OfficerFactory

from .conftest import DEEDS, photo_upload


@pytest.mark.django_db(transaction=True)
def test_two_officers_for_the_last_place_exactly_one_succeeds(craftsman_programme):
    craftsman_programme.union_places = 1
    craftsman_programme.save()
    first = MemberFactory()
    second = MemberFactory(union=first.union, town_street=first.town_street)
    officers = [OfficerFactory(union=first.union).user, OfficerFactory(union=first.union).user]
    drafts = [
        services.nomination_draft_save(
            actor=officer, programme=craftsman_programme, document_number=member.document_number, deeds=DEEDS,
            contact_phone="13805791234", photo=photo_clean(photo_upload()),
        )
        for officer, member in zip(officers, [first, second], strict=True)
    ]
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(n):
        try:
            barrier.wait(timeout=10)
            services.nomination_submit(nomination=drafts[n], actor=officers[n])
            outcomes.append("ok")
        except LimitExceeded as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ok", "超出本单位工会推荐名额：剩余 0。"]
    assert Nomination.objects.filter(status=NominationStatus.SUBMITTED).count() == 1
    assert allowance_used(f"awards.quota:programme={craftsman_programme.pk}:union={first.union_id}") == 1
