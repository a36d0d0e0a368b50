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



# --- The selection process --------------------------------------------------------------

DEEDS = "扎根生产一线二十年，" * 25  # 250 characters without spaces


def png_bytes(size=(400, 300), color=(200, 40, 40)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def photo_upload(name="photo.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


@pytest.fixture
def craftsman_programme(db):
    """第二届义乌工匠评选, taking nominations from a week ago to a week ahead, whatever today is."""
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    return AwardProgramme.objects.create(
        kind=AwardKind.CRAFTSMAN, year=today.year + 1, title="第二届“义乌工匠”评选",
        opens_on=today - datetime.timedelta(days=7), closes_on=today + datetime.timedelta(days=7),
        quota=10, union_places=2, criteria="在本市工作五年以上，技艺精湛。", required_documents="",
        deeds_min_length=200, notice_workdays=5, repeat_years=3,
    )


@pytest.fixture
def pioneer_programme(db):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    return AwardProgramme.objects.create(
        kind=AwardKind.WORKER_PIONEER, year=today.year + 1, title="工人先锋号评选",
        opens_on=today - datetime.timedelta(days=7), closes_on=today + datetime.timedelta(days=7),
        quota=10, union_places=1, deeds_min_length=200,
    )


@pytest.fixture
def draft_for(db):
    """draft_for(officer_user, member, programme, **kwargs) -> a saved draft with a photo."""
    from apps.awards import services
    from apps.core.uploads import photo_clean

    def make(officer, member, programme, **kwargs):
        kwargs.setdefault("deeds", DEEDS)
        kwargs.setdefault("contact_phone", "13805791234")
        return services.nomination_draft_save(
            actor=officer, programme=programme, document_number=member.document_number,
            photo=photo_clean(photo_upload()), **kwargs,
        )

    return make
