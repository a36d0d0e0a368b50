import re


def last_code(outbox, phone):
    return re.search(r"\d{6}", [m.text for m in outbox if m.phone == phone][-1]).group()
