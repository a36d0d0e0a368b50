"""How personal data is shown to people who may not see it whole."""


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
