"""How personal data is shown to people who may not see it whole.

A resident ID number embeds the holder's birth date (digits 7-14). A masked number is only
safe next to a birth date reduced to its year: the full date with the region code would give
the number back in a handful of guesses. So every screen or export that masks the number
also passes the birth date through `mask_birth_date`.
"""

import datetime

FULL_DOCUMENT_PERM = "members.view_full_document"


def sees_full_document(user) -> bool:
    """May this login read whole document numbers, phones and birth dates?"""
    return bool(user and user.is_authenticated and (user.is_superuser or user.has_perm(FULL_DOCUMENT_PERM)))


def mask_document_number(number: str) -> str:
    """`330782199001011234` -> `3307**********1234`: first and last four kept."""
    if not number:
        return ""
    if len(number) <= 8:
        return number[:2] + "*" * (len(number) - 4) + number[-2:] if len(number) > 4 else "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(phone: str) -> str:
    if not phone or len(phone) < 7:
        return phone and "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_name(name: str) -> str:
    """丁思诗 -> 丁*诗, 王立 -> 王*: enough to recognise a card, not to identify a stranger."""
    if not name:
        return ""
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_birth_date(value) -> str:
    """A birth date (a date or its ISO text) reduced to its year: `1990-01-01` -> `1990年`."""
    if not value:
        return ""
    if isinstance(value, datetime.date):
        year = value.year
    else:
        text = str(value).strip()
        year = text[:4] if len(text) >= 4 and text[:4].isdigit() else None
        if year is None:
            return "****"
    return f"{year}年"
