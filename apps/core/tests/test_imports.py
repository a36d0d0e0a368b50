"""The shared import machinery: cells as offices type them, headers under titles, encodings."""

import datetime

import pytest

from apps.core.imports import (
    CellError,
    Column,
    FileRefused,
    NameMatcher,
    cell_date,
    cell_document_number,
    cell_phone,
    cell_text,
    find_header,
    header_key,
    read_table,
)


@pytest.mark.parametrize("value, day", [
    (42005, datetime.date(2015, 1, 1)),
    (42005.0, datetime.date(2015, 1, 1)),
    ("42005", datetime.date(2015, 1, 1)),
    ("2015.1.1", datetime.date(2015, 1, 1)),
    ("2015/01/01", datetime.date(2015, 1, 1)),
    ("2015-1-1", datetime.date(2015, 1, 1)),
    ("2015年1月1日", datetime.date(2015, 1, 1)),
    ("２０１５年１月１日", datetime.date(2015, 1, 1)),
    ("20150101", datetime.date(2015, 1, 1)),
    (datetime.datetime(2015, 1, 1, 8, 30), datetime.date(2015, 1, 1)),
    (None, None), ("", None), ("  ", None),
])
def test_dates_as_offices_write_them(value, day):
    assert cell_date(value) == day


@pytest.mark.parametrize("value", ["明年", "2015.13.1", "2015年2月30日", 0, -5, 99999999, "1e9"])
def test_unreadable_dates_are_refused_in_chinese(value):
    with pytest.raises(CellError, match="无法识别"):
        cell_date(value)


@pytest.mark.parametrize("value, stored", [
    ("33078219900101123x ", "33078219900101123X"),
    ("３３０７８２１９９００１０１１２３Ｘ", "33078219900101123X"),
    ("3307 8219 9001 0112 3X", "33078219900101123X"),
    (330782199001011234, "330782199001011234"),  # an exact integer (from a CSV or a script)
    ("'330782199001011234", "330782199001011234"),
    ("E12345678", "E12345678"),
])
def test_document_numbers_are_normalised(value, stored):
    assert cell_document_number(value) == stored


@pytest.mark.parametrize("value", [3.30782199001011e17, "3.30782199001011E+17", 330782199001011234.0])
def test_document_number_excel_made_a_number_says_to_format_the_column_as_text(value):
    with pytest.raises(CellError, match="Excel当成了数字.*选“文本”"):
        cell_document_number(value)


@pytest.mark.parametrize("value", [
    "+86 138-0579-1234", "138 0579 1234", "(+86)13805791234", "13805791234", 13805791234, 13805791234.0,
    "１３８０５７９１２３４", "0086 13805791234", "86-138-0579-1234",
])
def test_phones_as_people_paste_them(value):
    assert cell_phone(value) == "13805791234"


def test_landline_is_refused_with_a_reason():
    with pytest.raises(CellError, match="是固定电话，请填写11位手机号码"):
        cell_phone("0579-85512345")
    with pytest.raises(CellError, match="不是11位手机号码"):
        cell_phone("12345")
    assert cell_phone("") == "" and cell_phone(None) == ""


def test_text_is_trimmed_and_whole_floats_lose_their_point():
    assert cell_text("  张三\u3000") == "张三"
    assert cell_text(12.0) == "12" and cell_text(None) == ""


def test_header_keys_ignore_spaces_marks_and_hints():
    assert header_key(" 证件号码（必填）*") == header_key("证件号码") == header_key("证件 号码：")


COLUMNS = [
    Column("name", "姓名", ("职工姓名",), required=True),
    Column("id", "证件号码", ("身份证号码", "身份证号"), required=True),
    Column("phone", "手机号码", ("联系电话",)),
]


def test_header_is_found_under_title_rows():
    rows = [["某公司会员名册"], [None, "2024年"], ["序号", "职工姓名", "身份证号", "联系电话"], [1, "张三", "x", "y"]]
    index, positions = find_header(rows, COLUMNS)
    assert index == 2 and {p: c.key for p, c in positions.items()} == {1: "name", 2: "id", 3: "phone"}


def test_missing_header_columns_are_named():
    with pytest.raises(FileRefused, match="找不到表头的这些列：证件号码"):
        find_header([["姓名", "电话"], ["张三", "1"]], COLUMNS)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_offices_use(encoding):
    text = "姓名,身份证号\r\n张三,330782199001011234\r\n䶮𠀀,1\r\n" if encoding == "gb18030" else "姓名,身份证号\r\n张三,330782199001011234\r\n"
    rows = read_table(text.encode(encoding), "a.csv")
    assert rows[0] == ["姓名", "身份证号"] and rows[1] == ["张三", "330782199001011234"]


def test_semicolon_and_tab_separated_files_are_read():
    assert read_table("姓名\t身份证号\n张三\t1\n".encode("gbk"))[1] == ["张三", "1"]


def test_name_matcher_finds_normalised_names_and_offers_close_ones():
    class Org:
        def __init__(self, name):
            self.name = name

    matcher = NameMatcher((o, o.name) for o in [Org("义乌市恒远饰品有限公司工会"), Org("义乌市稠城街道总工会")])
    assert matcher.get(" 义乌市恒远饰品有限公司 工会").name == "义乌市恒远饰品有限公司工会"
    assert matcher.get("义乌市恒远饰品（有限）公司工会").name == "义乌市恒远饰品有限公司工会"
    assert matcher.get("恒远") is None
    assert matcher.close("义乌市恒远饰品公司工会") == ["义乌市恒远饰品有限公司工会"]
    assert "您是不是要找：“义乌市稠城街道总工会”？" in matcher.missing_text("义乌稠城街道总工会", "找不到。")
