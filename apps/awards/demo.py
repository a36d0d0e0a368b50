"""Demo data (called from `seed_demo`) and volume data (for `generate_volume`) of the awards.

Both are idempotent: running them twice adds nothing the first run made.
"""

import datetime
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from apps.core.uploads import document_clean, photo_clean
from apps.members.models import Member
from apps.orgs.models import UnionOfficer

from . import services
from .models import AwardKind, AwardProgramme, Nomination, NominationStatus

DEEDS = (
    "该同志扎根生产一线十八年，先后攻克饰品精密冲压、自动化装配等多项技术难题，带领班组完成工艺改进二十余项，"
    "每年为企业节约成本三百余万元。他坚持“传帮带”，带出高级工、技师三十余名，所在班组连续五年获评公司先进班组。"
    "他主持的“小商品模具快速换型”技术革新，使换模时间由两小时缩短到二十分钟，在全市小商品制造企业中推广应用。"
    "业余时间，他还义务为周边企业职工开展技能培训，累计培训一千余人次，深受职工群众好评。"
)

CRITERIA = (
    "一、在义乌市企业生产一线工作满五年；\n二、技艺精湛，在本行业、本领域有较大影响；\n"
    "三、在技术创新、工艺改进、传技带徒等方面业绩突出；\n四、近三年内未受过党纪政务处分。"
)


def _jpeg(name: str) -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (600, 800), (180, 40, 40)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _programme(kind, year, title, today):
    programme, _created = AwardProgramme.objects.get_or_create(
        kind=kind, year=year,
        defaults={
            "title": title, "opens_on": today - datetime.timedelta(days=10),
            "closes_on": today + datetime.timedelta(days=20), "quota": 30, "union_places": 2,
            "criteria": CRITERIA, "required_documents": "个人事迹材料\n所在单位推荐意见",
            "deeds_min_length": 200, "notice_workdays": 5, "repeat_years": 3,
        },
    )
    return programme


def seed(stdout=None) -> list[tuple]:
    """This year's three programmes taking nominations, and two nominations of the demo
    officer's union (a draft and a submitted one). Returns rows for the demo logins table."""
    today = timezone.localdate()
    year = today.year
    craftsman = _programme(AwardKind.CRAFTSMAN, year, f"第二届“义乌工匠”评选（{year}年）", today)
    _programme(AwardKind.MOST_BEAUTIFUL_WORKER, year, f"{year}年度义乌市“最美职工”评选", today)
    _programme(AwardKind.WORKER_PIONEER, year, f"{year}年度义乌市“工人先锋号”评选", today)
    role = UnionOfficer.objects.filter(user__username="officer", is_active=True).select_related("user").first()
    if role is None:
        return []
    members = list(Member.objects.filter(union=role.union, status=Member.Status.ACTIVE).order_by("id")[2:4])
    for n, member in enumerate(members):
        if Nomination.objects.filter(programme=craftsman, member=member).exists():
            continue
        with transaction.atomic():
            draft = services.nomination_draft_save(
                actor=role.user, programme=craftsman, document_number=member.document_number, deeds=DEEDS,
                contact_phone="13805790000", photo=photo_clean(_jpeg("photo.jpg")),
                documents=[document_clean(_jpeg("事迹材料.jpg"))],
            )
            if n == 0:
                services.nomination_submit(nomination=draft, actor=role.user)
    if stdout is not None:
        stdout.write("评选表彰：本年度三个评选项目正在接受推荐；基层工会干部在 /me/nominations/ 推荐。")
    return [("基层工会干部", "officer", "—", "评选推荐：/me/nominations/")]


def volume(*, nominations: int = 200, year: int | None = None, seed: int = 2026) -> int:
    """`nominations` submitted nominations of random active members for the year's 最美职工
    programme (created without quotas for the purpose, so the ledger stays true), spread over
    unions and towns/streets, some shortlisted. Returns how many were created."""
    year = year or timezone.localdate().year
    rng = random.Random(f"awards:{seed}:{year}")
    programme, _created = AwardProgramme.objects.get_or_create(
        kind=AwardKind.MOST_BEAUTIFUL_WORKER, year=year,
        defaults={"title": f"{year}年度义乌市“最美职工”评选", "deeds_min_length": 200},
    )
    from apps.members.management.volume import volume_officer

    nominator = volume_officer()
    taken = set(programme.nominations.values_list("member_id", flat=True))
    candidates = list(
        Member.objects.filter(status=Member.Status.ACTIVE, union__isnull=False).exclude(pk__in=taken)
        .values_list("pk", "union_id", "town_street_id")[: nominations * 3]
    )
    rng.shuffle(candidates)
    now = timezone.now()
    rows = [
        Nomination(
            programme=programme, member_id=pk, union_id=union_id, town_street_id=town_id, deeds=DEEDS,
            nominated_by=nominator, submitted_at=now,
            status=NominationStatus.SHORTLISTED if rng.random() < 0.3 else NominationStatus.SUBMITTED,
        )
        for pk, union_id, town_id in candidates[:nominations]
    ]
    Nomination.objects.bulk_create(rows, batch_size=500)
    return len(rows)
