"""A year of star evaluations for benchmarks (`manage.py generate_volume --year`): every active
union of the volume gets an evaluation of the year, through `demo.volume`."""

from apps.members.management.volume import volume_year_register


@volume_year_register("stars")
def stars_year(*, year_start, seed) -> int:
    from .demo import volume

    return volume(year=year_start.year + 1, seed=seed)
