"""factory-boy factories shared by every app's tests, with the personas of the portal."""

import datetime

import factory
from django.contrib.auth.models import Group, User

from apps.core.validators import gb11643_check_char
from apps.members.models import Member
from apps.orgs.models import AgencyPoint, AgencyPointStaff, Employer, GrassrootsUnion, TownStreet, UnionOfficer


def resident_id(n: int, birth: datetime.date = datetime.date(1990, 1, 1), female: bool = False) -> str:
    """A valid 18-character Yiwu (330782) resident ID number, distinct for each n."""
    seq = (n % 500) * 2 + (0 if female else 1)
    body = f"330782{birth:%Y%m%d}{seq:03d}"
    if n >= 500:  # vary the birth date to keep numbers distinct past 500
        birth = birth + datetime.timedelta(days=n // 500)
        body = f"330782{birth:%Y%m%d}{seq:03d}"
    return body + gb11643_check_char(body)


def town(code: str = "choucheng") -> TownStreet:
    return TownStreet.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("Passw0rd!x")


class StaffFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or []:
            self.groups.add(Group.objects.get(name=name))


class UnionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrassrootsUnion

    name = factory.Sequence(lambda n: f"义乌市测试企业{n}有限公司工会")
    kind = GrassrootsUnion.Kind.ENTERPRISE
    town_street = factory.LazyFunction(town)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"义乌市测试企业{n}有限公司")
    town_street = factory.LazyFunction(town)
    union = factory.SubFactory(UnionFactory)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"测试职工{n}")
    gender = Member.Gender.MALE
    document_number = factory.Sequence(lambda n: resident_id(n + 1))
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    employer = factory.SubFactory(EmployerFactory)
    union = factory.LazyAttribute(lambda o: o.employer.union)
    town_street = factory.LazyAttribute(lambda o: o.employer.town_street)
    # not the YW<year><6 digits> form that real approvals issue, so the two never collide
    membership_number = factory.Sequence(lambda n: f"YWT{n:08d}")
    joined_on = datetime.date(2020, 5, 1)
    status = Member.Status.ACTIVE


class OfficerFactory(factory.django.DjangoModelFactory):
    """A grassroots-union officer login: staff flag, officer group, one union."""

    class Meta:
        model = UnionOfficer

    user = factory.SubFactory(StaffFactory, groups=["基层工会干部"])
    union = factory.SubFactory(UnionFactory)
    title = "工会主席"


class AgencyPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyPoint

    name = factory.Sequence(lambda n: f"测试镇街代办点{n}")
    town_street = factory.LazyFunction(town)


class AgencyStaffFactory(factory.django.DjangoModelFactory):
    """An agency-point login (镇街代办点): staff flag, agency group, one point (one town/street)."""

    class Meta:
        model = AgencyPointStaff

    user = factory.SubFactory(StaffFactory, groups=["镇街代办点"])
    point = factory.SubFactory(AgencyPointFactory)


def response_bytes(response) -> bytes:
    """The body of a plain or a streamed response (exports are served from a file)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
