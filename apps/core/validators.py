"""Validators of identity documents and phone numbers, shared by every form, import and service."""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# First two digits of a resident ID: the provinces of GB/T 2260, plus 81-83 (Hong Kong, Macao,
# Taiwan) used by the residence permit for their residents.
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
     50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71}
)
HMT_PERMIT_CODES = frozenset({81, 82, 83})
_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]
_CHECK_CHARS = "10X98765432"
_MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")


# Dashes people type between groups of digits (after NFKC the full-width "－" is already "-").
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc]")
_PHONE_PUNCTUATION = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc.()\[\]/]")
# What Excel shows for a long number it turned into a float: 3.30782199001011E+17, or 3.3E17.
_EXCEL_FLOAT = re.compile(r"^\d(\.\d+)?E\+?\d+$|^\d{15,}\.\d+$")
RAW_INPUT_LIMIT = 40  # characters of a pasted number read before normalising; more is refused


def normalize_text(value) -> str:
    """Unicode NFKC (full-width digits, letters and punctuation become ASCII), trimmed.

    Every number a person types passes through this first: Chinese input methods type
    `３３０７８２…`, `（+86）` and `－`."""
    return unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()


def spreadsheet_cell_text(value) -> str:
    """The text of a spreadsheet cell. A whole number is written without `.0`; a number too long
    for a float to hold exactly (an ID number Excel turned into a number) is written the way
    Excel shows it, `3.30782199001011E+17`, so the validator can say what happened."""
    if value is None:
        return ""
    if isinstance(value, float):
        if abs(value) >= 1e15:
            mantissa, exponent = f"{value:.14E}".split("E")
            return f"{mantissa.rstrip('0').rstrip('.')}E+{int(exponent)}"
        if value.is_integer():
            value = int(value)
    return str(value).strip()


def normalize_digits(value) -> str:
    """NFKC, without spaces or dashes: codes, membership numbers and other digit strings."""
    return _SEPARATORS.sub("", normalize_text(value)).upper()


def normalize_document_number(value) -> str:
    """The stored form of every document number: NFKC, upper-case, without spaces or dashes
    (and without the apostrophe Excel puts before a number kept as text)."""
    return normalize_digits(value).strip("'‘’`")


def normalize_phone(value) -> str:
    """The stored form of a phone: NFKC, without spaces, dashes, dots or brackets, and without
    the country code (`+86 138-0579-1234`, `(+86)13805791234`, `0086…`, `86…` → 11 digits).
    It does not validate: MobilePhoneValidator says what is wrong with the result."""
    phone = _PHONE_PUNCTUATION.sub("", normalize_text(value))
    for prefix in ("+86", "0086"):
        if phone.startswith(prefix):
            return phone[len(prefix):]
    if phone.startswith("86") and len(phone) == 13:
        return phone[2:]
    return phone


def normalize_amount(value) -> str:
    """An amount as typed (`１，２００．５０元`, `¥ 1,200.50`) → `1200.50`, ready for Decimal()."""
    text = normalize_text(value)
    return re.sub(r"[\s,¥元]", "", text)


# The project's first spelling; both names are the same functions.
normalise_document_number = normalize_document_number


def gb11643_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS))
    return _CHECK_CHARS[total % 11]


def id_birth_date(number: str) -> datetime.date | None:
    """The birth date an 18-character ID number encodes, or None when it is not a real date."""
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


@deconstructible
class ResidentIdValidator:
    """GB 11643 resident ID (居民身份证) or HK/Macao/Taiwan residence permit: 18 characters."""

    def __init__(self, hmt_permit: bool = False):
        self.hmt_permit = hmt_permit

    def __call__(self, value):
        number = normalise_document_number(value)
        if _EXCEL_FLOAT.match(number):
            raise ValidationError(
                _("身份证号码被Excel当成了数字（显示为%(value)s），后几位已经丢失。"
                  "请在Excel中选中这一列，右键“设置单元格格式”选“文本”，重新输入完整号码后再提交或导入。"),
                code="id_excel_number", params={"value": number},
            )
        if len(number) != 18:
            raise ValidationError(_("身份证号码应为18位。"), code="id_length")
        if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
            raise ValidationError(_("身份证号码前17位应为数字，最后一位为数字或X。"), code="id_chars")
        province = int(number[:2])
        allowed = HMT_PERMIT_CODES if self.hmt_permit else PROVINCE_CODES
        if province not in allowed or (number[2:6] == "0000" and not self.hmt_permit):
            raise ValidationError(_("身份证号码的地区码不正确。"), code="id_region")
        birth = id_birth_date(number)
        if birth is None or birth.year < 1900:
            raise ValidationError(_("身份证号码中的出生日期不存在。"), code="id_birth_date")
        from django.utils import timezone

        if birth > timezone.localdate():
            raise ValidationError(_("身份证号码中的出生日期晚于今天。"), code="id_birth_future")
        if gb11643_check_char(number[:17]) != number[17]:
            raise ValidationError(_("身份证号码校验位不正确，请核对后重新输入。"), code="id_check_digit")

    def __eq__(self, other):
        return isinstance(other, ResidentIdValidator) and other.hmt_permit == self.hmt_permit


@deconstructible
class PassportNumberValidator:
    """Passport or foreign permanent-residence card: 5 to 20 letters and digits."""

    def __call__(self, value):
        number = normalise_document_number(value)
        if not re.fullmatch(r"[A-Z0-9]{5,20}", number):
            raise ValidationError(_("证件号码应为5至20位字母或数字。"), code="passport_format")

    def __eq__(self, other):
        return isinstance(other, PassportNumberValidator)


@deconstructible
class MobilePhoneValidator:
    """A mainland China mobile number: 11 digits starting with 13-19."""

    def __call__(self, value):
        phone = normalise_phone(value)
        if _MAINLAND_MOBILE.match(phone):
            return
        if phone.isdigit() and (phone.startswith("0") or 7 <= len(phone) <= 8):
            raise ValidationError(
                _("这是座机号码。请填写11位手机号码，用于接收短信验证码和通知。"), code="phone_landline"
            )
        raise ValidationError(_("请输入11位手机号码。"), code="phone_format")

    def __eq__(self, other):
        return isinstance(other, MobilePhoneValidator)


normalise_phone = normalize_phone


validate_resident_id = ResidentIdValidator()
validate_hmt_permit = ResidentIdValidator(hmt_permit=True)
validate_passport = PassportNumberValidator()
validate_mobile_phone = MobilePhoneValidator()
