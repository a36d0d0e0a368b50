"""A year of maker-space applications for benchmarks (`manage.py generate_volume --year`)."""

from apps.members.management.volume import volume_year_register


@volume_year_register("innovation")
def innovation_year(*, year_start, seed) -> int:
    from .demo import volume

    return volume(year=year_start.year + 1, seed_value=seed)
