"""A deterministic generator of realistic unions, employers and members for benchmarks.

Same seed on the same database state gives the same rows. A second run continues: employer
and joint-union names come from counters kept in `NumberSequence` (keys "volume.*"),
membership numbers from the very counter `membership_number_issue` uses, and ID numbers and
phones already on file are never produced again. Organisations are written with bulk_create;
members are streamed to PostgreSQL's COPY in chunks of `CHUNK` (never all held in memory:
1,000,000 members take about a minute and under 500 MB), inside one transaction, without
history rows (this is not a staff change). Membership numbers follow join order within a chunk.

`generate_volume --year` then adds a year of each app's records: an app registers a function
with `volume_year_register("<app>")` in its own `apps/<app>/volume.py` (found by autodiscovery),
e.g. `apps/rights/volume.py` (a year of rights cases).
"""

import datetime
import io
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from apps.core.models import NumberSequence
from apps.core.validators import gb11643_check_char
from apps.orgs.models import Employer, GrassrootsUnion, TownStreet

from ..models import DocumentType, Member

BATCH = 5000
CHUNK = 50_000

SURNAMES = (
    "王" * 10 + "李" * 10 + "张" * 9 + "刘" * 7 + "陈" * 8 + "杨" * 5 + "黄" * 4 + "赵" * 4 + "吴" * 5
    + "周" * 4 + "徐" * 4 + "孙" * 3 + "马" * 3 + "朱" * 3 + "胡" * 3 + "郭" * 2 + "何" * 2 + "高" * 2
    + "林" * 2 + "罗" * 2 + "郑" * 2 + "梁" * 2 + "谢" * 2 + "宋" * 2 + "唐" * 2 + "许" * 2 + "韩" + "冯"
    + "邓" + "曹" + "彭" + "曾" + "肖" + "田" + "董" + "袁" + "潘" + "于" + "蒋" + "蔡" + "余" + "杜" + "叶"
    + "程" + "苏" + "魏" + "吕" + "丁" + "任" + "沈" + "姚" + "卢" + "金" * 2 + "楼" * 2 + "骆" + "龚" + "傅"
    + "鲍" + "贾" + "方" + "虞" + "季" + "毛" + "俞"
)
GIVEN_CHARS = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国晓红玲丹萍鑫宇浩然欣怡子涵"
    "雨轩思佳俊杰文博婷婷晨阳志强海燕春梅凤霞金龙玉兰建华丽娟国庆立新小燕慧敏嘉豪梓萱诗琪"
    "一鸣天佑雅琴晓东丽萍振华卫东永红海波"
)
JOBS = [
    "普工", "质检员", "电商运营", "仓库管理员", "外贸业务员", "会计", "驾驶员", "缝纫工", "设计师",
    "销售员", "客服专员", "电工", "机修工", "教师", "护士", "厨师", "保安员", "保洁员", "快递员",
    "网店店长", "车间主任", "跟单员", "包装工", "采购员", "出纳", "行政专员",
]
BRANDS = [
    "华鑫", "恒远", "金鼎", "宏达", "锦绣", "新光明", "美联", "博远", "佳和", "盛世", "鸿运", "天骄",
    "永利", "明珠", "雅美", "浩宇", "诚信", "丰源", "嘉禾", "绿源", "瑞丰", "银河", "东方红", "海纳",
    "鼎盛", "凯达", "荣昌", "振兴", "顺发", "兴隆", "富源", "宝丰", "金穗", "和美", "欣悦", "晨光",
    "新天地", "聚福", "众诚", "华夏", "汇丰源", "德润", "安泰", "远航", "星月", "卓越", "精诚", "万兴",
    "世纪", "双龙", "金鹰", "彩虹", "百合", "青松", "红叶", "千禧", "中联", "泰和", "祥云", "春晖",
]
INDUSTRIES = [
    "饰品", "针织", "袜业", "玩具", "工艺品", "电子商务", "包装", "文具", "拉链", "服饰", "日用品",
    "五金", "塑料制品", "印刷", "物流", "进出口", "化妆品", "箱包", "眼镜", "毛纺", "电器", "食品",
    "家纺", "伞业", "鞋业", "体育用品", "彩印", "纸制品", "灯饰", "花边",
]
SUFFIXES = ["有限公司", "股份有限公司", "实业有限公司"]
JOINT_AREAS = [
    "小商品市场", "国际商贸城", "工业园区", "电商园区", "物流园区", "五金市场", "副食品市场", "创业园",
    "家居市场", "商业街", "服装市场", "快递产业园",
]
# Where Yiwu's workers come from: local districts first, then the usual provinces of origin.
REGIONS = (
    ["330782"] * 12 + ["330702", "330703", "330723", "330726", "330727", "330781", "330783", "330784"] * 2
    + ["360121", "362421", "361127", "411302", "412724", "341221", "522401", "511321", "421127",
       "430524", "530381", "450981", "510823", "362330", "340823"]
)
PHONE_PREFIXES = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
    "156", "157", "158", "159", "166", "177", "180", "181", "182", "183", "185", "186", "187", "188",
    "189", "191", "198", "199",
]
# Rough share of employers per town/street (the city centre is busiest).
TOWN_WEIGHTS = {
    "choucheng": 14, "beiyuan": 12, "choujiang": 11, "jiangdong": 10, "houzhai": 7, "chengxi": 6,
    "niansanli": 7, "futian": 9, "fotang": 6, "chian": 3, "yiting": 4, "shangxi": 3, "suxi": 5, "dachen": 3,
}
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(index: int) -> str:
    """A well-formed unified social credit code (GB 32100) for generated employer `index`."""
    body = f"MA{index:06d}"
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, weights))
    check = 11 - total % 11
    org = body + {10: "X", 11: "0"}.get(check, str(check))
    first17 = "91330782" + org
    total = sum(USCC_CHARS.index(c) * (3 ** i % 31) for i, c in enumerate(first17))
    return first17 + USCC_CHARS[(31 - total % 31) % 31]


def employer_name(index: int) -> str:
    combos = _combos()
    brand, industry, suffix = combos[index % len(combos)]
    cycle = index // len(combos)
    return f"义乌市{brand}{industry}{suffix}" + (f"第{cycle + 1}分公司" if cycle else "")


_COMBOS: list = []


def _combos():
    if not _COMBOS:
        combos = list(itertools.product(BRANDS, INDUSTRIES, SUFFIXES))
        random.Random(20180101).shuffle(combos)
        _COMBOS.extend(combos)
    return _COMBOS


def _reserve(key: str, count: int, year: int = 0) -> int:
    """Take `count` values of a counter; returns the last value before them (lock held)."""
    NumberSequence.objects.get_or_create(key=key, year=year)
    row = NumberSequence.objects.select_for_update().get(key=key, year=year)
    start = row.last_value
    row.last_value = start + count
    row.save(update_fields=["last_value"])
    return start


counter_reserve = _reserve  # for the apps' own volume generators (apps/<app>/volume.py)


@dataclass
class VolumeReport:
    members: int
    employers: int
    joint_unions: int
    enterprise_unions: int
    catch_all_created: int


def _random_date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def volume_generate(*, members: int, seed: int = 2026) -> VolumeReport:
    """Create `members` members with the employers and unions they work in (see module doc)."""
    if members < 1:
        raise ValueError("members must be positive")
    today = timezone.localdate()
    with transaction.atomic():
        towns = list(TownStreet.objects.order_by("sort_order"))
        town_by_code = {t.code: t for t in towns}
        employers_wanted = max(len(towns), members // 40)
        employer_start = _reserve("volume.employer", employers_wanted)
        rng = random.Random(f"{seed}:{employer_start}")

        # Catch-all union per town (joint union or town federation), created once.
        catch_all = {u.town_street_id: u for u in GrassrootsUnion.objects.filter(is_catch_all=True)}
        existing_union_names = set(GrassrootsUnion.objects.values_list("name", flat=True))
        created_catch_all = 0
        for town in towns:
            if town.pk in catch_all:
                continue
            name = f"{town.full_name}总工会"
            while name in existing_union_names:
                name = f"{name}（职工服务中心）"
            catch_all[town.pk] = GrassrootsUnion.objects.create(
                name=name, kind=GrassrootsUnion.Kind.FEDERATION, town_street=town, is_catch_all=True,
                chair_name=rng.choice(SURNAMES) + rng.choice(GIVEN_CHARS) + rng.choice(GIVEN_CHARS),
            )
            existing_union_names.add(name)
            created_catch_all += 1

        # Joint unions: 14 per 400 employers, one per town in each round.
        joint_count = 14 * max(1, employers_wanted // 400)
        joint_start = _reserve("volume.joint_union", joint_count)
        joints = []
        for j in range(joint_start, joint_start + joint_count):
            town = towns[j % len(towns)]
            area = JOINT_AREAS[(j // len(towns)) % len(JOINT_AREAS)]
            cycle = j // (len(towns) * len(JOINT_AREAS))
            name = f"{town.full_name}{area}" + (f"第{cycle + 1}" if cycle else "") + "联合工会"
            if name in existing_union_names:
                continue
            existing_union_names.add(name)
            joints.append(GrassrootsUnion(
                name=name, kind=GrassrootsUnion.Kind.JOINT, town_street=town,
                chair_name=rng.choice(SURNAMES) + rng.choice(GIVEN_CHARS) + rng.choice(GIVEN_CHARS),
                founded_on=_random_date(rng, datetime.date(2008, 1, 1), today),
            ))
        GrassrootsUnion.objects.bulk_create(joints, batch_size=BATCH)
        joints_by_town: dict[int, list] = {}
        for union in joints:
            joints_by_town.setdefault(union.town_street_id, []).append(union)

        # Employers, each with its own union, a joint union, or none yet (→ catch-all).
        existing_employer_names = set(Employer.objects.values_list("name", flat=True))
        existing_codes = set(Employer.objects.exclude(credit_code="").values_list("credit_code", flat=True))
        codes = list(TOWN_WEIGHTS)
        weights = [TOWN_WEIGHTS[c] for c in codes]
        employers, own_unions = [], []
        for e in range(employer_start, employer_start + employers_wanted):
            name = employer_name(e)
            # Every town gets an employer first, then the busy ones get more.
            offset = e - employer_start
            town = towns[offset] if offset < len(towns) else town_by_code[rng.choices(codes, weights)[0]]
            kind = rng.choices(
                [Employer.Kind.ENTERPRISE, Employer.Kind.SCHOOL, Employer.Kind.HOSPITAL, Employer.Kind.INSTITUTION],
                [90, 4, 2, 4],
            )[0]
            roll = rng.random()
            if name in existing_employer_names:
                continue
            employer = Employer(
                name=name, kind=kind, town_street=town,
                credit_code="" if credit_code(e) in existing_codes else credit_code(e),
                address=f"浙江省义乌市{town.full_name}{rng.randint(1, 999)}号",
            )
            if roll < 0.55 and f"{name}工会" not in existing_union_names:
                union = GrassrootsUnion(
                    name=f"{name}工会", town_street=town,
                    kind=GrassrootsUnion.Kind.ENTERPRISE if kind == Employer.Kind.ENTERPRISE
                    else GrassrootsUnion.Kind.INSTITUTION,
                    chair_name=rng.choice(SURNAMES) + rng.choice(GIVEN_CHARS) + rng.choice(GIVEN_CHARS),
                    founded_on=_random_date(rng, datetime.date(2005, 1, 1), today),
                )
                own_unions.append(union)
                employer.union = union
            elif roll < 0.80 and joints_by_town.get(town.pk):
                employer.union = rng.choice(joints_by_town[town.pk])
            employers.append(employer)
        GrassrootsUnion.objects.bulk_create(own_unions, batch_size=BATCH)
        for employer in employers:
            if employer.union is not None:
                employer.union_id = employer.union.pk
        Employer.objects.bulk_create(employers, batch_size=BATCH)

        if not employers:
            raise ValueError("no new employer could be named: every generated name is taken")
        made = _members_stream(
            rng=rng, employers=employers, catch_all=catch_all, members=members, today=today,
        )
    return VolumeReport(
        members=made, employers=len(employers), joint_unions=len(joints),
        enterprise_unions=len(own_unions), catch_all_created=created_catch_all,
    )


def _copy_columns():
    """Member's columns for COPY: the generated ones, then every other column at its default."""
    generated = ["name", "gender", "document_type", "document_number", "birth_date", "phone", "union_id",
                 "employer_id", "town_street_id", "job", "joined_on", "status", "membership_number"]
    constant = {}
    now = timezone.now().isoformat()
    for field in Member._meta.concrete_fields:
        if field.primary_key or field.attname in generated:
            continue
        if field.attname in ("created_at", "updated_at"):
            constant[field.column] = now
            continue
        value = field.get_default()
        constant[field.column] = "\\N" if value is None else str(value)
    columns = [Member._meta.get_field(name).column for name in generated] + list(constant)
    return columns, "\t".join(constant.values())


def _members_stream(*, rng, employers, catch_all, members: int, today) -> int:
    """Generate and COPY `members` members in chunks; returns how many were written."""
    sizes = [rng.paretovariate(1.3) for _ in employers]
    cum = list(itertools.accumulate(sizes))
    # Compact forms (ints) of what is on file, so a million fit in a few dozen MB.
    seen_ids = {int(n[:17]) for n in Member.objects.filter(document_type=DocumentType.RESIDENT_ID)
                .values_list("document_number", flat=True).iterator(chunk_size=20000) if n[:17].isdigit()}
    seen_phones = {int(p) for p in Member.objects.exclude(phone="").values_list("phone", flat=True)
                   .iterator(chunk_size=20000)}
    oldest, youngest = datetime.date(1966, 1, 1), today.replace(year=today.year - 19)
    span = (youngest - oldest).days + 1
    start_2005 = datetime.date(2005, 1, 1)
    columns, constant = _copy_columns()
    sql = f"COPY {Member._meta.db_table} ({', '.join(columns)}) FROM STDIN"
    statuses = [Member.Status.ACTIVE.value, Member.Status.TRANSFERRED.value, Member.Status.WITHDRAWN.value]
    resident = DocumentType.RESIDENT_ID.value
    written = 0
    while written < members:
        size = min(CHUNK, members - written)
        rows = []
        for employer in rng.choices(employers, cum_weights=cum, k=size):
            female = rng.random() < 0.46
            while True:
                birth = oldest + datetime.timedelta(days=rng.randrange(span))
                first17 = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{rng.randrange(500) * 2 + (0 if female else 1):03d}"
                if int(first17) not in seen_ids:
                    break
            seen_ids.add(int(first17))
            while True:
                phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"
                if int(phone) not in seen_phones:
                    break
            seen_phones.add(int(phone))
            given = rng.choice(GIVEN_CHARS) + (rng.choice(GIVEN_CHARS) if rng.random() < 0.7 else "")
            earliest = max(start_2005, birth + datetime.timedelta(days=18 * 366))
            joined = _random_date(rng, earliest, today) if earliest <= today else today
            status = rng.choices(statuses, [92, 5, 3])[0]
            rows.append((
                joined, first17 + gb11643_check_char(first17), rng.choice(SURNAMES) + given,
                "F" if female else "M", birth, phone, employer.union_id or catch_all[employer.town_street_id].pk,
                employer.pk, employer.town_street_id, rng.choice(JOBS), status,
            ))
        # Membership numbers from the issuer's own yearly counters, in join order within the chunk.
        rows.sort()
        years: dict[int, int] = {}
        for row in rows:
            years[row[0].year] = years.get(row[0].year, 0) + 1
        next_number = {year: _reserve("membership_number", count, year) for year, count in sorted(years.items())}
        out = io.StringIO()
        for joined, number, name, gender, birth, phone, union_id, employer_id, town_id, job, status in rows:
            next_number[joined.year] += 1
            out.write(
                f"{name}\t{gender}\t{resident}\t{number}\t{birth.isoformat()}\t{phone}\t{union_id}\t"
                f"{employer_id}\t{town_id}\t{job}\t{joined.isoformat()}\t{status}\t"
                f"YW{joined.year}{next_number[joined.year]:06d}\t{constant}\n"
            )
        out.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(sql, out)
        written += size
    return written


# ---- a year of each app's records (`generate_volume --year`) ---------------------------------
YEAR_GENERATORS: dict[str, Callable] = {}


def volume_year_register(name: str):
    """Decorator for an app's `apps/<app>/volume.py`: `fn(*, year_start, seed) -> int` adds one
    year (starting `year_start`, ending before today) of the app's records for the members and
    organisations on file, and returns how many main records it wrote."""

    def register(fn):
        YEAR_GENERATORS[name] = fn
        return fn

    return register


def volume_staff():
    """The staff login that a year's generators record decisions by: the first superuser, else
    a "volume-admin" superuser made for the purpose (no usable password: nobody signs in as it)."""
    from django.contrib.auth.models import User

    staff = User.objects.filter(is_superuser=True).order_by("pk").first()
    if staff is None:
        staff = User.objects.create_superuser(username="volume-admin", password=None)
    return staff


def volume_officer():
    """A union officer's login for generated proposals and nominations: the first active
    officer, else a "volume-officer" login made officer of the union with the most members."""
    from django.contrib.auth.models import Group, User
    from django.db.models import Count

    from apps.accounts import roles
    from apps.orgs.models import UnionOfficer

    officer = UnionOfficer.objects.filter(is_active=True).select_related("user").order_by("pk").first()
    if officer is not None:
        return officer.user
    union = GrassrootsUnion.objects.annotate(n=Count("members")).order_by("-n", "pk").first()
    user = User.objects.create_user(username="volume-officer", password=None, is_staff=True)
    user.groups.add(*Group.objects.filter(name=roles.UNION_OFFICER))
    UnionOfficer.objects.create(user=user, union=union, title="工会主席")
    return user


def volume_member_logins(count: int) -> list[Member]:
    """`count` active members with a login (members who claimed their account online), making
    logins for the first members without one when too few have it."""
    from ..services import member_account_activate

    members = list(Member.objects.filter(user__isnull=False, status=Member.Status.ACTIVE).order_by("pk")[:count])
    if len(members) < count:
        for member in Member.objects.filter(user__isnull=True, status=Member.Status.ACTIVE).order_by("pk")[:count - len(members)]:
            member_account_activate(member=member)
        members = list(Member.objects.filter(user__isnull=False, status=Member.Status.ACTIVE).order_by("pk")[:count])
    return members


def volume_year_generate(*, seed: int = 2026, only: list[str] | None = None) -> dict[str, int]:
    """Run every registered generator (or those named in `only`) for the year that ends today;
    {app name: records}."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("volume")
    unknown = set(only or []) - set(YEAR_GENERATORS)
    if unknown:
        raise ValueError(f"no year generator for: {', '.join(sorted(unknown))} (known: {', '.join(sorted(YEAR_GENERATORS))})")
    today = timezone.localdate()
    year_start = today - datetime.timedelta(days=365)
    done = {}
    for name, fn in sorted(YEAR_GENERATORS.items()):
        if only and name not in only:
            continue
        with transaction.atomic():
            done[name] = fn(year_start=year_start, seed=seed)
    return done
