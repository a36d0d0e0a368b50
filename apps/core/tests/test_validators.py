import datetime

import pytest
from django.core.exceptions import ValidationError

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
    tomorrow = datetime.date.today() + datetime.timedelta(days=400)
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
