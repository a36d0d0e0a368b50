"""The seed's honour rolls as a fixture: complete, paired right, loadable on an empty database."""
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.awards.management.commands.build_honour_fixture import (
    FIXTURE,
    render,
    town_for,
)
from apps.awards.models import AwardKind, AwardProgramme, HonourEntry
from apps.orgs.models import Employer, GrassrootsUnion
from apps.stars.models import StarRating

pytestmark = pytest.mark.django_db

SEED_PAIRS = {
    "丁思诗": "浙江省义乌市国家税务局",
    "王立栋": "新光控股集团有限公司",
    "王自成": "义乌市交通投资建设集团有限公司",
    "毛旭君": "义乌市稠江中学",
    "朱俊芳": "义乌市社会福利院",
    "杨开正": "义乌市公路养护与应急保障中心",
    "沈国红": "义乌市福田街道尚经工作片",
    "周丽萍": "义乌出入境检验检疫局",
    "黄亚州": "义乌市优多儿童用品有限公司",
    "楼仁斌": "义乌市公安局巡防大队",
}


def test_fixture_loads_on_an_empty_database_with_the_three_rolls():
    assert not GrassrootsUnion.objects.exists() and not HonourEntry.objects.exists()
    call_command("loaddata", "honour_rolls", verbosity=0)
    counts = {
        kind: HonourEntry.objects.filter(programme__kind=kind, programme__year=2018, is_published=True).count()
        for kind in AwardKind.values
    }
    assert counts == {"most_beautiful_worker": 10, "five_star_union": 25, "worker_pioneer": 31, "craftsman": 0}
    assert AwardProgramme.objects.filter(year=2018, is_published=True).count() == 3
    assert GrassrootsUnion.objects.count() == 25


def test_most_beautiful_workers_are_paired_with_their_employer_by_position(honour_rolls):
    entries = HonourEntry.objects.filter(programme__kind=AwardKind.MOST_BEAUTIFUL_WORKER).select_related("employer")
    assert {e.name: e.employer.name for e in entries} == SEED_PAIRS
    assert list(entries.order_by("sort_order").values_list("name", flat=True)) == list(SEED_PAIRS)


def test_five_star_entries_link_to_their_union_its_employer_and_a_demonstration_rating(honour_rolls):
    entries = HonourEntry.objects.filter(programme__kind=AwardKind.FIVE_STAR_UNION).select_related("union")
    assert all(e.union is not None and e.union.name == e.name for e in entries)
    customs = GrassrootsUnion.objects.get(name="义乌海关工会")
    assert Employer.objects.get(name="义乌海关").union == customs
    ratings = StarRating.objects.filter(year=2018)
    assert ratings.count() == 25
    assert set(ratings.values_list("level", "is_demonstration")) == {(5, True)}
    assert set(ratings.values_list("union__name", flat=True)) == set(entries.values_list("name", flat=True))


def test_employers_shared_between_rolls_are_one_row(honour_rolls):
    tax = Employer.objects.get(name="浙江省义乌市国家税务局")
    assert tax.union.name == "浙江省义乌市国家税务局工会"
    assert HonourEntry.objects.get(name="丁思诗").employer == tax
    assert HonourEntry.objects.get(name="义乌天祥医疗东方医院健康促进部").employer.name == "义乌天祥医疗东方医院"


@pytest.mark.parametrize(("name", "code"), [
    ("义乌市佛堂镇小学工会", "fotang"),
    ("义乌市人民法院苏溪法庭", "suxi"),
    ("浙江义乌农村商业银行股份有限公司城西支行", "chengxi"),
    ("中国农业银行股份有限公司义乌分行江东支行", "jiangdong"),
    ("中国工商银行股份有限公司义乌分行稠江支行", "choujiang"),
    ("义乌市公路管理局后宅公路管理所", "houzhai"),
    ("义乌市道路运输管理局稠城运管所", "choucheng"),
    ("义乌海关工会", "choucheng"),  # says nothing: the city centre
])
def test_town_street_is_read_from_the_name(honour_rolls, name, code):
    assert town_for(name) == code
    assert HonourEntry.objects.get(name=name).town_street.code == code


def test_people_are_placed_by_their_employer(honour_rolls):
    assert HonourEntry.objects.get(name="沈国红").town_street.code == "futian"
    assert HonourEntry.objects.get(name="毛旭君").town_street.code == "choujiang"


def test_loading_twice_changes_nothing(honour_rolls):
    before = (HonourEntry.objects.count(), Employer.objects.count(), GrassrootsUnion.objects.count(),
              StarRating.objects.count(), sorted(HonourEntry.objects.values_list("pk", flat=True)))
    call_command("loaddata", "honour_rolls", verbosity=0)
    after = (HonourEntry.objects.count(), Employer.objects.count(), GrassrootsUnion.objects.count(),
             StarRating.objects.count(), sorted(HonourEntry.objects.values_list("pk", flat=True)))
    assert after == before


def test_deeds_are_a_citation_line_not_an_invented_biography(honour_rolls):
    assert HonourEntry.objects.get(name="丁思诗").deeds == "2018年度义乌市“最美职工”，浙江省义乌市国家税务局。"
    assert all(len(d) < 80 for d in HonourEntry.objects.values_list("deeds", flat=True))


def test_committed_fixture_is_what_the_builder_writes():
    assert FIXTURE.read_text(encoding="utf-8") == render()


def test_fixture_lives_in_the_top_level_fixtures_folder():
    from django.conf import settings

    assert FIXTURE.parent in [Path(d) for d in settings.FIXTURE_DIRS]
    assert FIXTURE.parent.name == "fixtures" and FIXTURE.parent.parent == Path(settings.BASE_DIR)
