"""A year of counselling for benchmarks (`manage.py generate_volume --year`), through `demo.volume`:
about one session a year per ten members, 100,000 at most."""

from apps.members.management.volume import volume_year_register
from apps.members.models import Member


@volume_year_register("counselling")
def counselling_year(*, year_start, seed) -> int:
    from .demo import volume

    members = Member.objects.filter(status=Member.Status.ACTIVE).count()
    done = volume(sessions=min(100_000, max(10, members // 10)), seed=seed)
    return done.get("sessions", 0) if isinstance(done, dict) else int(done)
