import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.core.masking import mask_document_number, mask_name, mask_phone
from apps.core.validators import (
    gb11643_check_char,
    normalise_document_number,
    validate_resident_id,
)
from apps.members.models import document_validate
from tests.factories import resident_id


def codes(callable_, value):
    with pytest.raises(ValidationError) as info:
        callable_(value)
    return info.value.code


def test_valid_resident_id_is_accepted():
    validate_resident_id("11010519491231002X")
    validate_resident_id(resident_id(7))


def test_wrong_check_digit_is_refused():
    good = resident_id(3)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert codes(validate_resident_id, wrong) == "id_check_digit"


def test_impossible_birth_date_is_refused():
    body = "33078219900230001"  # 30 February
    assert codes(validate_resident_id, body + gb11643_check_char(body)) == "id_birth_date"


def test_future_birth_date_is_refused():
    tomorrow = timezone.localdate() + datetime.timedelta(days=400)
    body = f"330782{tomorrow:%Y%m%d}001"
    assert codes(validate_resident_id, body + gb11643_check_char(body)) == "id_birth_future"


@pytest.mark.parametrize("value", ["3307821990010100", "3307821990010100123", ""])
def test_wrong_length_is_refused(value):
    assert codes(validate_resident_id, value) == "id_length"


def test_unknown_region_is_refused():
    body = "99078219900101001"
    assert codes(validate_resident_id, body + gb11643_check_char(body)) == "id_region"


def test_lowercase_x_is_accepted_and_stored_upper_case():
    assert document_validate("id_card", "11010519491231002x") == "11010519491231002X"
    assert normalise_document_number(" 1101 0519 4912 31002x ") == "11010519491231002X"


def test_hmt_permit_needs_hk_macao_taiwan_region():
    body = "81000019900101001"
    assert document_validate("hmt_permit", body + gb11643_check_char(body)).startswith("81")
    with pytest.raises(ValidationError):
        document_validate("hmt_permit", resident_id(1))


def test_passport_format():
    assert document_validate("passport", "e1234 5678") == "E12345678"
    with pytest.raises(ValidationError):
        document_validate("passport", "E1")


def test_masking():
    assert mask_document_number("33078219900101123X") == "3307**********123X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("丁思诗") == "丁*诗"
    assert mask_name("王立") == "王*"


def test_birth_date_is_masked_to_its_year():
    import datetime

    from apps.core.masking import mask_birth_date

    assert mask_birth_date(datetime.date(1990, 1, 1)) == "1990年"
    assert mask_birth_date("1990-01-01") == "1990年"
    assert mask_birth_date(None) == "" and mask_birth_date("") == ""
    assert mask_birth_date("garbled") == "****"


def test_masked_number_keeps_no_birth_digit():
    from apps.core.masking import mask_document_number

    masked = mask_document_number("330782199001011234")
    assert "19900101" not in masked and masked[6:14] == "********"


# ---- what people type: full-width characters, pasted phones, Excel floats -----------------

def full_width(text: str) -> str:
    """The spelling a Chinese input method in full-width mode types."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text)


PHONE_SPELLINGS = [
    "13805791234", "+86 138-0579-1234", "138 0579 1234", "(+86)13805791234", "（+86）138 0579 1234",
    "0086 138 0579 1234", "8613805791234", full_width("13805791234"), full_width("+86 138-0579-1234"),
]


@pytest.mark.parametrize("spelling", PHONE_SPELLINGS)
def test_every_common_phone_spelling_normalises_to_11_digits(spelling):
    from apps.core.validators import normalize_phone, validate_mobile_phone

    assert normalize_phone(spelling) == "13805791234"
    validate_mobile_phone(spelling)


@pytest.mark.parametrize("landline", ["0579-85512345", "057985512345", "(0579)8551 2345", "85512345"])
def test_a_landline_is_refused_with_a_message_asking_for_a_mobile(landline):
    from apps.core.validators import validate_mobile_phone

    with pytest.raises(ValidationError) as info:
        validate_mobile_phone(landline)
    assert info.value.code == "phone_landline"
    assert "座机" in info.value.messages[0] and "手机号码" in info.value.messages[0]


def test_other_wrong_phones_get_the_11_digit_message():
    from apps.core.validators import validate_mobile_phone

    assert codes(validate_mobile_phone, "12345") == "phone_format"
    assert codes(validate_mobile_phone, "1380579123x") == "phone_format"


def test_full_width_id_number_is_accepted_and_normalised():
    number = next(resident_id(n) for n in range(900, 2000) if resident_id(n).endswith("X"))
    for spelling in (full_width(number), full_width(number[:17]) + "X", full_width(number.lower()),
                     f"{number[:6]}－{number[6:14]}－{number[14:]}", f"'{number}"):
        validate_resident_id(spelling)
        assert document_validate("id_card", spelling) == number, spelling


@pytest.mark.parametrize("excel", ["3.30782199001011E+17", "3.30782199001011e+17", full_width("3.30782199001011E+17"),
                                   "330782199001011000.0"])
def test_id_number_turned_into_a_float_by_excel_says_how_to_fix_it(excel):
    with pytest.raises(ValidationError) as info:
        validate_resident_id(excel)
    assert info.value.code == "id_excel_number"
    message = info.value.messages[0]
    assert "Excel" in message and "文本" in message and "设置单元格格式" in message


def test_amounts_and_digits_as_typed():
    from apps.core.validators import normalize_amount, normalize_digits

    assert normalize_amount("１，２００．５０元") == "1200.50"
    assert normalize_amount(" ¥ 3,000 ") == "3000"
    assert normalize_digits(" ｙｗ２０２０ ０００ ７７７ ") == "YW2020000777"


def test_form_fields_take_the_raw_input_without_an_html_maxlength():
    from django import forms

    from apps.core.fields import AmountFormField, DocumentNumberFormField, MobilePhoneFormField

    class Form(forms.Form):
        phone = MobilePhoneFormField()
        number = DocumentNumberFormField()
        amount = AmountFormField(max_digits=12, decimal_places=2, min_value=0)

    form = Form({"phone": full_width("+86 138-0579-1234"), "number": full_width(resident_id(3)),
                 "amount": "１，２００．５"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"phone": "13805791234", "number": resident_id(3), "amount": Decimal("1200.5")}
    html = str(form)
    assert "maxlength" not in html and 'inputmode="tel"' in html
    too_long = Form({"phone": "1" * 50, "number": resident_id(3), "amount": ""})
    assert not too_long.is_valid() and "phone" in too_long.errors
    negative = Form({"phone": "13805791234", "number": resident_id(3), "amount": "－５"})
    assert not negative.is_valid() and "amount" in negative.errors
