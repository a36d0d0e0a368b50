"""A year of mutual aid for benchmarks (`manage.py generate_volume --year`): every active member
enrolled and about one claim a year per three members (300,000 at most), through `demo.volume`."""

from apps.members.management.volume import volume_year_register
from apps.members.models import Member


@volume_year_register("mutualaid")
def mutualaid_year(*, year_start, seed) -> int:
    from .demo import volume

    members = Member.objects.filter(status=Member.Status.ACTIVE).count()
    return volume(claims=min(300_000, max(1, members // 3)), year=year_start.year + 1, seed_value=seed)
