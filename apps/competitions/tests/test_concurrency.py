"""Two members at the same moment for the last place: exactly one gets it (PostgreSQL, threads);
then a withdrawal promotes the first on the waiting list."""

import threading

import pytest
from django.db import connection

from apps.competitions.errors import AlreadyRegistered, EventFull
from apps.competitions.models import Registration
from apps.competitions.services import registration_create, registration_withdraw
from apps.core.limits import allowance_used
from tests.factories import MemberFactory

from .factories import EventFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
R = Registration.Status


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # the refusal is the outcome under test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_two_registrations_for_the_last_place_exactly_one_wins_and_withdrawal_promotes_the_waiting():
    event = EventFactory(capacity=2)
    early, first, second, patient = MemberFactory(), MemberFactory(), MemberFactory(), MemberFactory()
    registration_create(event=event, member=early, actor=None)

    outcomes = run_together(
        lambda: registration_create(event=event, member=first, actor=None),
        lambda: registration_create(event=event, member=second, actor=None),
    )
    winners = [o for o in outcomes if isinstance(o, Registration)]
    losers = [o for o in outcomes if isinstance(o, EventFull)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert Registration.objects.filter(event=event, status=R.REGISTERED).count() == 2
    assert allowance_used(event.limit_key) == 2

    loser = second if winners[0].member_id == first.pk else first
    waiting = registration_create(event=event, member=loser, actor=None, join_waiting_list=True)
    behind = registration_create(event=event, member=patient, actor=None, join_waiting_list=True)
    registration_withdraw(registration=winners[0], actor=None)
    waiting.refresh_from_db(), behind.refresh_from_db()
    assert (waiting.status, behind.status) == (R.REGISTERED, R.WAITING)
    assert allowance_used(event.limit_key) == 2


def test_the_same_member_twice_at_once_is_registered_once():
    event = EventFactory(capacity=5)
    person = MemberFactory()
    outcomes = run_together(
        lambda: registration_create(event=event, member=person, actor=None),
        lambda: registration_create(event=event, member=person, actor=None),
    )
    assert sum(isinstance(o, Registration) for o in outcomes) == 1
    assert sum(isinstance(o, AlreadyRegistered) for o in outcomes) == 1, outcomes
    assert Registration.objects.filter(event=event).count() == 1
    assert allowance_used(event.limit_key) == 1
