"""Every admin page, opened by every kind of staff login, never answers 500.

The walk is generic: it iterates `admin.site._registry` and each ModelAdmin's own URLs
(changelist, add, change, history, delete and any custom page such as statistics), so an app
registered later is walked without editing this file. Each login opens every page once plain
and the changelists and custom pages again with odd parameters (NUL bytes, huge numbers,
empty and unknown values). Refusals (302 to login, 403, 404, 400) are fine; a 500 is not.
"""

import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from apps.accounts import roles
from apps.rights.models import Category, Channel, Grade, Status
from apps.rights.services import case_submit, case_transition
from tests.factories import EmployerFactory, StaffFactory, UserFactory

BIG_NUMBER = "9" * 25
# Every odd value at once (huge numbers, unknown parameters and orderings), then the empty and
# negative ones with a NUL byte, then a year of 0: the superuser, who sees every page, walks
# the three; a staff group walks the first (the walk stays short for every login).
COMBINED_ODD = {"q": "9" * 40, "p": "9" * 30, "o": "99.-99", "year": "10000", "town": "9" * 30, "unknown_parameter": "x"}
ODD_PARAMS = [
    COMBINED_ODD,
    {"q": "\x00", "p": "-1", "year": "", "e": "1", "all": "", "town": ""},
    {"year": "0"},
]


def _objects():
    """One object of every registered model that has rows (the model -> object map)."""
    found = {}
    for model in admin.site._registry:
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            found[model] = obj
    return found


# The superuser opens every page; a staff group opens the pages of the models it may view,
# except the delete and history pages (the same views as the superuser's, behind the same
# scoped queryset as the change page): the walk stays well under a minute per login.
SUPERUSER_ONLY_SUFFIXES = ("_delete", "_history")


def _admin_pages(objects, user=None):
    """(url, takes_odd_params) for every named URL of every registered ModelAdmin, or, given a
    staff login that is not a superuser, of those whose models it may view."""
    pages = []
    request = None
    if user is not None and not user.is_superuser:
        request = RequestFactory().get("/admin/")
        request.user = user
    for model, model_admin in admin.site._registry.items():
        if request is not None and not model_admin.has_view_or_change_permission(request):
            continue
        obj = objects.get(model)
        for pattern in model_admin.get_urls():
            name = getattr(pattern, "name", None)
            if not name or (request is not None and name.endswith(SUPERUSER_ONLY_SUFFIXES)):
                continue
            converters = getattr(pattern.pattern, "converters", {})
            if converters and obj is None:
                kwargs = {key: "0" for key in converters}  # no row: a missing object must not 500
            else:
                kwargs = {key: str(obj.pk) for key in converters}
            try:
                url = reverse(f"admin:{name}", kwargs=kwargs)
            except NoReverseMatch:
                continue
            pages.append((url, not converters))
            if converters and "object_id" in converters:
                pages.append((re.sub(r"/\d+/", f"/{BIG_NUMBER}/", url, count=1), False))
    return pages


@pytest.fixture
def walk_data(db):
    """Demo data (unions, members, staff) plus rights cases in every status, so the change,
    history and delete pages of most models have a row to open."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    employer = EmployerFactory()
    officer = StaffFactory(groups=[roles.RIGHTS])
    details = {
        Status.ACCEPTED: {"grade": Grade.GENERAL},
        Status.DECLINED: {"note": "不属于劳动争议"},
    }
    for path in ([], [Status.ACCEPTED], [Status.DECLINED], [Status.ACCEPTED, Status.LEGAL_AID],
                 [Status.ACCEPTED, Status.ARBITRATION]):
        case = case_submit(
            channel=Channel.ONLINE, category=Category.WAGE_ARREARS, description="拖欠三个月工资共九千元。",
            employer=employer, amount_owed=Decimal("9000"), worker_name="王小明", worker_phone="13900001111",
        )
        for target in path:
            case = case_transition(case=case, target=target, actor=officer, **details.get(target, {}))
    return _objects()


def _login(kind):
    if kind == "superuser":
        return UserFactory(is_staff=True, is_superuser=True)
    if kind == roles.UNION_OFFICER:
        from apps.orgs.models import UnionOfficer

        return UnionOfficer.objects.filter(is_active=True).select_related("user").first().user
    return StaffFactory(groups=[kind])


LOGINS = ["superuser", *roles.STAFF_GROUPS]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", LOGINS)
def test_every_admin_page_opens_without_a_500(client, walk_data, kind):
    user = _login(kind)
    client.force_login(user)
    client.raise_request_exception = False  # collect every 500, not only the first
    pages = _admin_pages(walk_data, user)
    if kind == "superuser":
        assert len(pages) > 5 * len(admin.site._registry) // 2, "the walk found too few admin pages"
    else:
        assert pages, f"{kind} may view no admin page"
    failures = []
    odd_sets = ODD_PARAMS if kind == "superuser" else [COMBINED_ODD]
    for url, odd in pages:
        for params in [{}] + (odd_sets if odd else []):
            response = client.get(url, params)
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {url} {params!r}")
    assert failures == [], "\n".join(failures)


@pytest.mark.django_db
def test_the_walk_covers_every_registered_model(walk_data):
    """Every registered model's changelist, add and change pages are in the walk (models
    without a row have their change pages tried with a missing id, which must not 500)."""
    urls = {url for url, _odd in _admin_pages(walk_data)}
    missing = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") not in urls:
            missing.append(opts.label)
    assert missing == []


@pytest.mark.django_db
def test_membership_statistics_years_out_of_range_answer_the_current_year(client, walk_data):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:membership_joinrequest_stats")
    for year in ["0", "10000", "-5", BIG_NUMBER]:
        response = client.get(url, {"year": year})
        assert response.status_code == 200, year


@pytest.mark.django_db
@pytest.mark.parametrize("model_name", ["legalaidgrant", "arbitrationobservation"])
def test_legal_aid_and_arbitration_pages_open(client, walk_data, model_name):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse(f"admin:rights_{model_name}_add")).status_code == 200
