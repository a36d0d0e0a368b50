import datetime
import unicodedata

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts import roles
from apps.aid import demo as aid_demo
from apps.core.validators import gb11643_check_char
from apps.counselling import demo as counselling_demo
from apps.news import demo as news_demo
from apps.orgs.models import Employer, GrassrootsUnion, TownStreet, UnionOfficer

from ...models import Member
from ...services import member_account_activate, member_register

DEMO_PASSWORD = "Yiwu2026!"

# One login per federation staff group (the officer is set up with its union below).
STAFF_LOGINS = [
    ("rights", roles.RIGHTS),
    ("org", roles.ORGANISATION),
    ("economic", roles.ECONOMIC),
    ("aid", roles.AID),
    ("mutualaid", roles.MUTUAL_AID),
    ("counselling", roles.COUNSELLING),
    ("supervisor", roles.COUNSELLING_SUPERVISOR),
    ("leader", roles.LEADERSHIP),
    ("agency", roles.AGENCY_POINT),
    ("office", roles.OFFICE),
]
DEMO_UNION = "义乌市示范小商品有限公司工会"
DEMO_EMPLOYER = "义乌市示范小商品有限公司"


def _width(text: str) -> int:
    """Columns a string takes in a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def demo_id(body17: str) -> str:
    return body17 + gb11643_check_char(body17)


# name, gender, first 17 digits of the ID number, phone, job
DEMO_MEMBERS = [
    ("张晓红", "F", "33078219900315002", "13900000001", "电商运营"),  # has a login
    ("李建国", "M", "33078219850620003", "13900000002", "仓库管理员"),  # no login yet: try the claim
    ("王丽娟", "F", "36012119921108004", "13900000003", "质检员"),
    ("陈志强", "M", "41130219880201005", "13900000004", "外贸业务员"),
]


class Command(BaseCommand):
    help = "创建演示账号和演示数据（可重复运行）：超级管理员、每个部门一个账号、一个基层工会干部和几名会员。"

    def handle(self, *args, **options):
        with transaction.atomic():
            rows = self.seed()
            from apps.mutualaid.demo import seed as mutualaid_seed

            mutualaid_seed(self.stdout)
        counselling_demo.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。演示账号（仅供本地演示）："))
        widths = [max(_width(str(r[i])) for r in rows) for i in range(3)]
        for row in rows:
            cells = [str(c) + " " * (w - _width(str(c))) for c, w in zip(row, widths)]
            self.stdout.write("  " + "  ".join([*cells, str(row[3])]))

    def staff(self, username, group_name=None, *, superuser=False, name=""):
        user, _created = User.objects.get_or_create(username=username)
        user.is_staff = True
        user.is_superuser = superuser
        user.first_name = name
        user.set_password(DEMO_PASSWORD)
        user.save()
        if group_name:
            user.groups.set([Group.objects.get(name=group_name)])
        return user

    def seed(self):
        rows = [("角色", "登录名", "密码", "说明")]
        self.staff("admin", superuser=True, name="系统管理员")
        rows.append(("超级管理员", "admin", DEMO_PASSWORD, "后台 /admin/"))
        for username, group in STAFF_LOGINS:
            self.staff(username, group, name=group)
            rows.append((group, username, DEMO_PASSWORD, "后台 /admin/"))

        town = TownStreet.objects.get(code="choucheng")
        if not GrassrootsUnion.objects.filter(town_street=town, is_catch_all=True).exists():
            GrassrootsUnion.objects.get_or_create(
                name=f"{town.full_name}总工会",
                defaults={"kind": GrassrootsUnion.Kind.FEDERATION, "town_street": town, "is_catch_all": True},
            )
        union, _created = GrassrootsUnion.objects.get_or_create(
            name=DEMO_UNION,
            defaults={"kind": GrassrootsUnion.Kind.ENTERPRISE, "town_street": town, "chair_name": "周海燕",
                      "contact_phone": "0579-85200000", "founded_on": datetime.date(2012, 5, 1)},
        )
        employer, _created = Employer.objects.get_or_create(
            name=DEMO_EMPLOYER,
            defaults={"town_street": town, "union": union, "address": "浙江省义乌市稠城街道示范路1号"},
        )
        officer = self.staff("officer", roles.UNION_OFFICER, name="周海燕")
        UnionOfficer.objects.update_or_create(user=officer, union=union, defaults={"title": "工会主席", "is_active": True})
        rows.append((roles.UNION_OFFICER, "officer", DEMO_PASSWORD, f"后台，只管理“{DEMO_UNION}”"))
        from apps.stars.demo import seed as stars_seed

        stars_seed()

        members = []
        for name, gender, body, phone, job in DEMO_MEMBERS:
            number = demo_id(body)
            member = Member.objects.filter(document_type="id_card", document_number=number).first()
            if member is None:
                member = member_register(
                    name=name, gender=gender, document_number=number, phone=phone, union=union,
                    employer=employer, town_street=town, job=job, joined_on=datetime.date(2019, 5, 1),
                )
            members.append(member)

        with_login = members[0]
        if with_login.user_id is None:
            member_account_activate(member=with_login)
            with_login.refresh_from_db()
        with_login.user.set_password(DEMO_PASSWORD)
        with_login.user.save(update_fields=["password"])
        rows.append(("会员（已开通）", with_login.phone, DEMO_PASSWORD, "会员登录：手机号+密码或短信验证码"))
        claimable = members[1]
        rows.append((
            "会员（未开通）", claimable.phone, "—",
            f"激活账号：身份证 {claimable.document_number}，手机 {claimable.phone}（验证码不写入控制台日志，"
            "需配置真实短信通道 SMS_BACKEND 才能收到）",
        ))
        from apps.awards import demo as awards_demo

        rows.extend(awards_demo.seed())
        from apps.innovation import demo as innovation_demo

        innovation_demo.seed(self.stdout, member=with_login)
        aid_demo.seed(members=members, officer=officer)
        news_demo.seed(self.stdout)
        from apps.competitions import demo as competitions_demo

        competitions_demo.seed()
        return rows
