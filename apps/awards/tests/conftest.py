import pytest
from django.core.management import call_command

from apps.awards.models import AwardKind, AwardProgramme, HonourEntry
from apps.core.cache import public_data_changed
from apps.orgs.models import Employer, TownStreet


@pytest.fixture
def honour_rolls(db):
    """The seed's 2018 rolls, loaded exactly as `make run` loads them."""
    call_command("loaddata", "honour_rolls", verbosity=0)


@pytest.fixture
def make_entries(db):
    """make_entries(n, kind=..., year=..., town="choucheng", published=True) -> programme.

    Each entry gets an employer of its own, so a list that forgot select_related would show
    one query per row.
    """

    def make(n, *, kind=AwardKind.WORKER_PIONEER, year=2019, town="choucheng", published=True, prefix="先锋班组"):
        programme, _created = AwardProgramme.objects.get_or_create(
            kind=kind, year=year, defaults={"title": f"{year}年度{AwardKind(kind).label}", "is_published": True}
        )
        town_street = TownStreet.objects.get(code=town)
        start = programme.entries.count()
        employers = Employer.objects.bulk_create([
            Employer(name=f"{prefix}{year}{town}单位{start + i}", town_street=town_street) for i in range(n)
        ])
        HonourEntry.objects.bulk_create([
            HonourEntry(
                programme=programme, name=f"{prefix}{year}{town}{start + i:03d}", employer=employer,
                town_street=town_street, deeds=f"{programme.title}。", is_published=published,
                sort_order=start + i,
            )
            for i, employer in enumerate(employers)
        ])
        public_data_changed("awards")  # bulk_create sends no post_save
        return programme

    return make

