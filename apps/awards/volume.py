"""A year of award nominations for benchmarks (`manage.py generate_volume --year`), through
`demo.volume`: about one nomination per 500 members."""

from apps.members.management.volume import volume_year_register
from apps.members.models import Member


@volume_year_register("awards")
def awards_year(*, year_start, seed) -> int:
    from .demo import volume

    members = Member.objects.filter(status=Member.Status.ACTIVE).count()
    return volume(nominations=max(10, members // 500), year=year_start.year + 1, seed=seed)
