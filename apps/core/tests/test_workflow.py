"""The workflow helper: moves as data, who may make each, what each needs."""

import pytest

from apps.core.workflow import DetailRequired, IllegalTransition, Move, MoveNotPermitted, Workflow, any_of
from tests.factories import OfficerFactory, StaffFactory

pytestmark = pytest.mark.django_db


class Obj:
    def __init__(self, union_id):
        self.union_id = union_id


def own_union(actor, obj):
    return obj.union_id in set(actor.union_roles.values_list("union_id", flat=True))


FLOW = Workflow(
    "test.flow",
    [
        Move("new", "checked", may=own_union),
        Move(("new", "checked"), "approved", permission="rights.change_rightscase", requires=("amount",)),
        Move(("new", "checked"), "declined", may=any_of(own_union, lambda a, o: a.is_superuser), requires=("reason",)),
        Move("approved", "expired", system=True),
    ],
    labels={"amount": "金额", "reason": "原因"},
)


def test_map_and_targets():
    assert FLOW.transitions == {"new": ("checked", "approved", "declined"), "checked": ("approved", "declined"),
                                "approved": ("expired",)}
    assert FLOW.targets("checked") == ("approved", "declined")


def test_illegal_move_is_refused_first():
    with pytest.raises(IllegalTransition, match="不能变更为"):
        FLOW.check(obj=Obj(1), current="declined", target="approved", actor=None)


def test_move_needs_the_declared_permission_or_role():
    officer = OfficerFactory()
    other = OfficerFactory()
    obj = Obj(officer.union_id)
    assert FLOW.check(obj=obj, current="new", target="checked", actor=officer.user).target == "checked"
    with pytest.raises(MoveNotPermitted, match="没有权限"):
        FLOW.check(obj=obj, current="new", target="checked", actor=other.user)
    with pytest.raises(MoveNotPermitted):
        FLOW.check(obj=obj, current="new", target="approved", actor=officer.user, details={"amount": 1})
    rights = StaffFactory(groups=["权益保障部"])
    assert FLOW.check(obj=obj, current="new", target="approved", actor=rights, details={"amount": 0})
    assert [m.target for m in FLOW.moves_for(obj, "new", officer.user)] == ["checked", "declined"]


def test_system_moves_only_where_declared():
    assert FLOW.check(obj=Obj(1), current="approved", target="expired", actor=None)
    with pytest.raises(MoveNotPermitted):
        FLOW.check(obj=Obj(1), current="new", target="checked", actor=None)


def test_required_details_are_named_in_the_message():
    officer = OfficerFactory()
    with pytest.raises(DetailRequired, match="请填写原因"):
        FLOW.check(obj=Obj(officer.union_id), current="new", target="declined", actor=officer.user,
                   details={"reason": "   "})


def test_inactive_login_may_not_move():
    officer = OfficerFactory()
    officer.user.is_active = False
    with pytest.raises(MoveNotPermitted):
        FLOW.check(obj=Obj(officer.union_id), current="new", target="checked", actor=officer.user)


def test_a_move_declared_twice_is_a_programming_error():
    with pytest.raises(ValueError):
        Workflow("dup", [Move("a", "b"), Move(("a", "c"), "b")])
