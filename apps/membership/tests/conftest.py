"""Fixtures of the membership tests: a catch-all union per area, applicants, 组织部 staff."""

import datetime

import pytest

from apps.accounts import roles
from apps.orgs.models import GrassrootsUnion
from tests.factories import EmployerFactory, UnionFactory, resident_id, town


@pytest.fixture
def catch_all(db):
    """The joint union that takes the workers of Choucheng's employers without a union."""
    return UnionFactory(
        name="稠城街道联合工会", kind=GrassrootsUnion.Kind.JOINT, town_street=town("choucheng"), is_catch_all=True
    )


@pytest.fixture
def employer(db):
    return EmployerFactory(name="义乌市小商品城物流有限公司")


@pytest.fixture
def organisation(staff_of):
    return staff_of(roles.ORGANISATION)


# Applicants are born on another day than the factories' members, so that however many members
# earlier tests of the same process created, an applicant's number never belongs to one of them.
APPLICANT_BIRTH = datetime.date(1988, 6, 15)


@pytest.fixture
def applicant():
    """What a worker types into the join form (the service's keyword arguments)."""

    def make(n=901, **extra):
        data = {
            "name": "陈雨桐", "gender": "F", "document_type": "id_card", "document_number": resident_id(n, birth=APPLICANT_BIRTH),
            "phone": f"1395790{n:04d}", "town_street": town("choucheng"), "job": "仓库管理员",
            "address": "稠城街道工人北路1号", "consented": True,
        }
        data.update(extra)
        return data

    return make
