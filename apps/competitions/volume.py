"""A year of competitions for benchmarks (`manage.py generate_volume --year`), through `demo.volume`."""

from apps.members.management.volume import volume_year_register


@volume_year_register("competitions")
def competitions_year(*, year_start, seed) -> int:
    from .demo import volume

    done = volume(year=year_start.year + 1, seed=seed)
    return sum(done.values()) if isinstance(done, dict) else int(done)
