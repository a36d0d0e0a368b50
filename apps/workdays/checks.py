from django.core.checks import Tags, Warning, register
from django.utils import timezone

from .calendar import library_covers


@register(Tags.database)
def next_year_known(app_configs, databases=None, **kwargs):
    """From November on, warn when next year's official calendar is in neither the library
    nor confirmed by staff (CalendarYear): deadlines in it count plain weekdays, provisionally.

    A database check: it runs only with `check --database default` (as `make check-deploy`
    does when DATABASE_URL names the real database), since it reads the staff's rows.
    """
    today = timezone.localdate()
    if not databases or today.month < 11 or library_covers(today.year + 1):
        return []
    from django.db import DatabaseError

    from .models import CalendarYear

    try:
        confirmed = CalendarYear.objects.filter(year=today.year + 1).exists()
    except DatabaseError:
        return []
    if confirmed:
        return []
    return [
        Warning(
            f"{today.year + 1} 年的法定节假日与调休安排尚未录入，工作日将按周一至周五计算。",
            hint="升级 chinesecalendar，或在后台“工作日历调整”中录入国务院公布的安排。",
            id="workdays.W001",
        )
    ]
