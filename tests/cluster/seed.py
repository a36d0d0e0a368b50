"""People and an open aid campaign in a cluster's database (run inside the cluster's settings:
`manage.py shell -c "from tests.cluster.seed import main; main(MEMBERS)"`). Prints one JSON
object: the members' phones, the staff logins and the aid type to apply for."""

import datetime
import json
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from apps.accounts import roles
from apps.aid.models import AidPolicy, AidType, Campaign, CampaignKind, Eligibility, Facts
from tests.factories import EmployerFactory, MemberFactory, OfficerFactory, StaffFactory, UnionFactory, UserFactory

PASSWORD = "Cluster-Passw0rd!"
User = get_user_model()


@transaction.atomic
def main(members: int = 4) -> dict:
    year = timezone.localdate().year
    AidPolicy.objects.get_or_create(year=year, defaults={"yearly_limit": Decimal("50000"),
                                                         "second_approval_over": Decimal("5000")})
    campaign, _ = Campaign.objects.get_or_create(
        kind=CampaignKind.ILLNESS, year=year,
        defaults={"title": f"{year}年大病重病救助", "starts_on": datetime.date(year, 1, 1),
                  "ends_on": datetime.date(year, 12, 31), "budget": Decimal("100000000")},
    )
    aid_type, _ = AidType.objects.get_or_create(
        campaign=campaign, name="大病重病救助",
        defaults={"facts": Facts.ILLNESS, "eligibility": Eligibility.ANY, "standard_amount": Decimal("20000")},
    )
    # Each run is a new process whose factory sequences restart: start past what exists.
    base = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    for factory_class in (UserFactory, MemberFactory, UnionFactory, EmployerFactory):
        factory_class.reset_sequence(base)
    union = UnionFactory()
    people = []
    for n in range(members):
        user = UserFactory(password=None)  # members sign in by SMS code; no slow hashing
        member = MemberFactory(user=user, union=union, employer__union=union, gender="F")
        people.append({"id": member.pk, "phone": member.phone, "name": member.name})
    officer = OfficerFactory(union=union, user__password=PASSWORD).user
    aid_staff = StaffFactory(groups=[roles.AID], password=PASSWORD)
    data = {
        "aid_type": aid_type.pk, "members": people, "password": PASSWORD,
        "officer": officer.username, "aid_staff": aid_staff.username,
    }
    print(json.dumps(data, ensure_ascii=False))
    return data
