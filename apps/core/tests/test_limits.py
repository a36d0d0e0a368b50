"""The shared lock-recheck-write helper for budgets, limits, quotas and places."""

import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from apps.core.limits import (
    Limit,
    LimitExceeded,
    allowance_recount,
    allowance_used,
    allowances_merge,
    limit_release,
    limits_commit,
    limits_lock,
    limits_take,
)
from apps.core.models import Allowance, AllowanceEntry
from tests.factories import MemberFactory


@pytest.mark.django_db
def test_commit_until_full_then_refused_with_what_is_left():
    budget = Limit("test.budget:1", Decimal("1000"), label="活动预算")
    limits_commit([budget], amount=Decimal("600"), ref="app:1")
    with pytest.raises(LimitExceeded, match="超出活动预算：剩余 400"):
        limits_commit([budget], amount=Decimal("400.01"), ref="app:2")
    limits_commit([budget], amount=Decimal("400"), ref="app:3")
    assert allowance_used("test.budget:1") == Decimal("1000")


@pytest.mark.django_db
def test_several_limits_all_or_nothing():
    member = MemberFactory()
    budget = Limit("test.budget:2", 10000, label="预算")
    yearly = Limit(f"test.yearly:member={member.pk}:year=2026", 3000, label="年度限额", member=member, year=2026)
    limits_commit([budget, yearly], amount=2000, ref="a:1")
    with pytest.raises(LimitExceeded, match="年度限额"):
        limits_commit([budget, yearly], amount=2000, ref="a:2")
    assert allowance_used("test.budget:2") == 2000  # the budget took nothing from the refused one


@pytest.mark.django_db
def test_release_gives_back_and_is_kept_as_a_record():
    place = Limit("test.places:1", 1, label="名额")
    limits_commit([place], ref="reg:1")
    with pytest.raises(LimitExceeded):
        limits_commit([place], ref="reg:2")
    assert limit_release(ref="reg:1", note="退出") == 1
    limits_commit([place], ref="reg:2")
    assert AllowanceEntry.objects.filter(ref="reg:1", released_at__isnull=False).count() == 1


@pytest.mark.django_db
def test_capacity_cannot_drop_below_what_is_used():
    limits_commit([Limit("test.cap:1", 5)], amount=4, ref="x:1")
    with pytest.raises(LimitExceeded):
        with transaction.atomic():
            limits_lock([Limit("test.cap:1", 3)])
    assert Allowance.objects.get(key="test.cap:1").capacity == 5


@pytest.mark.django_db
def test_the_database_refuses_an_over_commit_from_a_path_without_the_lock():
    limits_commit([Limit("test.raw:1", 2)], amount=2, ref="x:1")
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Allowance.objects.filter(key="test.raw:1").update(used=3)


@pytest.mark.django_db
def test_one_holder_commits_once():
    limits_commit([Limit("test.once:1", 10)], ref="same")
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            rows = limits_lock([Limit("test.once:1", 10)])
            limits_take(rows, amount=1, ref="same")


@pytest.mark.django_db
def test_merge_joins_yearly_limits_and_recounts():
    kept, removed = MemberFactory(), MemberFactory()
    for member, amount in [(kept, 1000), (removed, 1500)]:
        limits_commit([Limit(f"t.yearly:member={member.pk}:year=2026", 2000, member=member, year=2026)],
                      amount=amount, ref=f"app:{member.pk}")
    allowances_merge(removed=removed, survivor=kept)
    row = Allowance.objects.get(key=f"t.yearly:member={kept.pk}:year=2026")
    assert row.used == 2500 and row.capacity == 2500  # the record stays true: both were paid
    assert not Allowance.objects.filter(member=removed).exists()
    assert allowance_recount(row).used == 2500


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_at_once_for_the_last_room_exactly_one_wins():
    limits_commit([Limit("test.race:1", 1000)], amount=600, ref="first")
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(n):
        try:
            barrier.wait()
            limits_commit([Limit("test.race:1", 1000)], amount=300, ref=f"app:{n}")
            limits_commit([Limit("test.race:1", 1000)], amount=100, ref=f"extra:{n}")
            outcomes.append("ok")
        except LimitExceeded:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert allowance_used("test.race:1") == 1000


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_limits_locked_in_opposite_orders_do_not_deadlock():
    barrier = threading.Barrier(2)
    errors = []

    def take(keys, n):
        try:
            barrier.wait()
            limits_commit([Limit(k, 100) for k in keys], amount=10, ref=f"r:{n}")
        except Exception as exc:  # a deadlock would surface here
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(["t.a", "t.b"], 1)),
               threading.Thread(target=take, args=(["t.b", "t.a"], 2))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert allowance_used("t.a") == allowance_used("t.b") == 20
