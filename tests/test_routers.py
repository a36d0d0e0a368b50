"""The replica router: reads go to the replica only inside replica_reads(), never inside a
transaction on the primary, never for writes; without a replica everything is the primary."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connections, transaction

from yiwu_union import routers
from yiwu_union.routers import ReplicaRouter, replica_alias, replica_iter, replica_reads

User = get_user_model()


def test_without_a_replica_everything_reads_the_primary():
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(User) == "default"
    assert router.db_for_read(User) == "default"


def test_with_a_replica_only_opted_in_reads_use_it(monkeypatch):
    monkeypatch.setattr(routers, "replica_configured", lambda: True)
    router = ReplicaRouter()
    assert router.db_for_read(User) == "default"
    with replica_reads():
        assert router.db_for_read(User) == "replica"
        assert router.db_for_write(User) == "default"
    assert router.db_for_read(User) == "default"


@pytest.mark.django_db(transaction=True)
def test_a_read_inside_a_transaction_sees_its_own_write(monkeypatch):
    monkeypatch.setattr(routers, "replica_configured", lambda: True)
    with replica_reads():
        assert replica_alias() == "replica"
        with transaction.atomic():
            assert connections["default"].in_atomic_block
            assert ReplicaRouter().db_for_read(User) == "default"


def test_replica_iter_does_not_leak_between_rows(monkeypatch):
    monkeypatch.setattr(routers, "replica_configured", lambda: True)
    monkeypatch.setattr(routers, "connections", {"default": type("C", (), {"in_atomic_block": False})()})
    seen_inside, seen_between = [], []

    def rows():
        for n in range(3):
            seen_inside.append(ReplicaRouter().db_for_read(User))
            yield n

    for _row in replica_iter(rows()):
        seen_between.append(ReplicaRouter().db_for_read(User))
    assert seen_inside == ["replica"] * 3 and seen_between == ["default"] * 3


def test_migrations_only_on_the_primary():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "aid") is True
    assert router.allow_migrate("replica", "aid") is False


@pytest.mark.django_db
def test_a_replica_view_reads_its_page_on_the_replica_and_the_login_on_the_primary(rf, monkeypatch):
    """The whole statistics page, its template's lazy querysets included, asks for the replica;
    the signed-in user was resolved before, on the primary."""
    from django.contrib.auth.models import AnonymousUser
    from django.template.response import SimpleTemplateResponse
    from django.utils.functional import SimpleLazyObject

    from yiwu_union import routers

    monkeypatch.setattr(routers, "replica_alias", lambda: "replica")
    router = ReplicaRouter()
    seen = {}

    def user_loader():
        seen["user"] = router.db_for_read(None)
        return AnonymousUser()

    class Page(SimpleTemplateResponse):
        def render(self):
            seen["render"] = router.db_for_read(None)
            return super().render()

    @routers.replica_view
    def page(request):
        seen["view"] = router.db_for_read(None)
        return Page(engines["django"].from_string(""))

    from django.template import engines

    request = rf.get("/numbers/")
    request.user = SimpleLazyObject(user_loader)
    page(request)
    assert seen == {"user": "default", "view": "replica", "render": "replica"}
    assert router.db_for_read(None) == "default"
