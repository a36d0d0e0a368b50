"""Demo records (`seed_demo`) and a year of volume (`generate_volume`) for the innovation space.

Both go through the services, so the records read as the real workflow writes them."""

import datetime
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from apps.core.errors import DomainError
from apps.core.uploads import CleanDocument

from .models import Application, Call, Criterion, Industry, Place, Residency, Space, Stage, Status, Studio
from .services import application_save, application_transition, progress_report_file, residency_start

DEMO_INDUSTRIES = ["数字经济", "先进装备制造", "新能源新材料", "生物医药与健康"]
DEMO_PLAN = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _plan() -> CleanDocument:
    return CleanDocument(ContentFile(DEMO_PLAN, name="demo-plan.pdf"), "pdf", "application/pdf", "商业计划书.pdf")


def _space_and_call(year: int, places: int = 6) -> Call:
    for order, name in enumerate(DEMO_INDUSTRIES, start=1):
        Industry.objects.get_or_create(name=name, defaults={"sort_order": order})
    space, _created = Space.objects.get_or_create(
        name="义乌市职工众创空间", defaults={"address": "浙江省义乌市稠城街道工人西路 18 号 3 楼"},
    )
    for n in range(1, places + 1):
        Place.objects.get_or_create(space=space, name=f"A{n:02d}",
                                    defaults={"kind": Place.Kind.ROOM if n % 4 == 0 else Place.Kind.DESK, "capacity": 4})
    today = timezone.localdate()
    call, created = Call.objects.get_or_create(
        title=f"{year}年职工众创空间入驻征集", space=space,
        defaults={"opens_on": datetime.date(year, 1, 1), "closes_on": max(datetime.date(year, 12, 31), today),
                  "places_offered": places},
    )
    if created:
        call.industries.set(Industry.objects.filter(name__in=DEMO_INDUSTRIES))
        Criterion.objects.bulk_create([
            Criterion(call=call, name="创新性", max_score=30, sort_order=1),
            Criterion(call=call, name="市场前景", max_score=40, sort_order=2),
            Criterion(call=call, name="团队能力", max_score=30, sort_order=3),
        ])
    return call


def seed(stdout=None, *, member=None) -> None:
    """A space with places, this year's call, a studio (linked to a craftsman's award when the
    honour roll has one) and, for `member`, a submitted application. Idempotent."""
    from apps.orgs.models import Employer

    with transaction.atomic():
        call = _space_and_call(timezone.localdate().year)
        employer = Employer.objects.order_by("pk").first()
        if employer is not None and not Studio.objects.filter(name="义乌工匠袜机技改创新工作室").exists():
            from apps.awards.models import HonourEntry

            honour = HonourEntry.objects.filter(programme__kind="craftsman").order_by("pk").first()
            studio = Studio.objects.create(
                name="义乌工匠袜机技改创新工作室", kind=Studio.Kind.CRAFTSMAN,
                leader_name=honour.name if honour else "王建华", honour=honour,
                employer=honour.employer if honour and honour.employer_id else employer,
                members="王建华\n陈晓燕\n楼志强", achievements="实用新型专利 3 项\n合理化建议被采纳 5 条", patents=3,
            )
            studio.recognitions.create(year=timezone.localdate().year)
        if member is not None and member.user_id and not Application.objects.filter(lead=member).exists():
            application = application_save(
                call=call, lead=member, project_name="小商品跨境直播选品助手", industry=call.industries.first(),
                summary="用市场成交数据帮助商户挑选适合跨境直播的商品，降低试错成本。", stage=Stage.PROTOTYPE,
                needs_desk=True, needs_mentor=True, publish_consent=True, public_summary="跨境直播选品的数据工具",
                plans=[_plan()], actor=member.user,
            )
            application_transition(application=application, target=Status.SUBMITTED, actor=member.user)
    if stdout is not None:
        stdout.write("众创空间：演示征集、工位和创新工作室已就绪（/innovation/）")


def volume(*, year: int, teams: int = 120, seed_value: int = 2026) -> int:
    """A year of applications for `generate_volume`: `teams` applications from existing members,
    a third admitted with a residency and quarterly reports. Returns the applications made."""

    rng = random.Random(seed_value)
    call = _space_and_call(year, places=max(1, teams // 3))
    from apps.members.management.volume import volume_member_logins, volume_staff

    staff = volume_staff()
    taken = set(Application.objects.filter(call=call).values_list("lead_id", flat=True))
    leads = [m for m in volume_member_logins(teams + len(taken)) if m.pk not in taken][:teams]
    places = list(Place.objects.filter(space=call.space))
    made = 0
    for n, lead in enumerate(leads):
        application = Application.objects.create(
            call=call, lead=lead, employer=lead.employer, project_name=f"职工创新项目{year}-{n + 1:04d}",
            industry=call.industries.order_by("?").first(), summary="批量生成的项目简介" * 3,
            stage=rng.choice(Stage.values), publish_consent=rng.random() < 0.6, status=Status.DRAFT,
        )
        application.team.create(name=lead.name, member=lead, is_lead=True)
        application.plans.create(file=_plan().content, kind="pdf", content_type="application/pdf",
                                 original_name="商业计划书.pdf")
        application_transition(application=application, target=Status.SUBMITTED, actor=lead.user)
        made += 1
        if staff is None or n % 3 or n // 3 >= len(places):
            continue
        application_transition(application=application, target=Status.REVIEWING, actor=staff)
        application_transition(application=application, target=Status.ADMITTED, actor=staff)
        place = places[n // 3]
        if Residency.objects.filter(place=place, state=Residency.State.RESIDENT).exists():
            continue
        start = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(60))
        residency = residency_start(application=application, place=place, starts_on=start,
                                    ends_on=start + datetime.timedelta(days=365), actor=staff)
        today = timezone.localdate()
        for quarter in range(1, 5):
            if datetime.date(year, quarter * 3, 1) > today:
                break
            try:
                progress_report_file(residency=residency, year=year, quarter=quarter, milestones="按计划推进",
                                     revenue=Decimal(rng.randrange(0, 200000)), jobs_created=rng.randrange(0, 4),
                                     patents=rng.randrange(0, 2), actor=lead.user)
            except DomainError:  # a quarter outside the term is simply not reported
                continue
    return made
