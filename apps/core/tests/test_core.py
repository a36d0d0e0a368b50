import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from openpyxl import load_workbook

from apps.core.exports import Exporter, safe_cell
from apps.core.models import sequence_next


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1+2", "-3", "@SUM(A1)", "\tx"])
def test_formula_like_text_is_defused(text):
    assert safe_cell(text) == "'" + text


def test_plain_values_are_kept():
    assert safe_cell(Decimal("12.50")) == Decimal("12.50")
    assert safe_cell(3) == 3
    assert safe_cell(datetime.date(2026, 11, 25)) == datetime.date(2026, 11, 25)
    assert safe_cell("丁思诗") == "丁思诗"
    assert safe_cell(None) == ""


def test_exporter_writes_xlsx_with_defused_cells():
    class Sample(Exporter):
        title = "样例"
        columns = ["姓名", "金额"]

        def rows(self):
            yield ["=cmd|' /C calc'!A0", Decimal("1.50")]

    sheet = load_workbook(__import__("io").BytesIO(Sample().render_xlsx())).active
    assert [c.value for c in sheet[1]] == ["姓名", "金额"]
    assert sheet["A2"].value.startswith("'=")
    assert sheet["B2"].value == 1.5


@pytest.mark.django_db
def test_sequence_counts_per_key_and_year():
    with transaction.atomic():
        assert sequence_next(key="t", year=2026) == 1
        assert sequence_next(key="t", year=2026) == 2
        assert sequence_next(key="t", year=2027) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_numbers_taken_at_the_same_moment_are_consecutive():
    with transaction.atomic():
        sequence_next(key="race", year=2026)  # the row exists before the race
    barrier = threading.Barrier(2)
    got = []

    def take():
        try:
            barrier.wait()
            with transaction.atomic():
                got.append(sequence_next(key="race", year=2026))
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == [2, 3]
