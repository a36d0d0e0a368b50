"""A year of hardship-aid applications for benchmarks (`manage.py generate_volume --year`):
about one application a year per five members, 200,000 at most, through `demo.volume`."""

from apps.members.management.volume import volume_year_register
from apps.members.models import Member


@volume_year_register("aid")
def aid_year(*, year_start, seed) -> int:
    from .demo import volume

    members = Member.objects.filter(status=Member.Status.ACTIVE).count()
    return volume(year=year_start.year + 1, applications=min(200_000, max(10, members // 5)), seed=seed)
