import re
import uuid


def last_code(outbox, phone):
    return re.search(r"\d{6}", [m.text for m in outbox if m.phone == phone][-1]).group()


def join_form(data, **extra):
    """The join page's POST data for what a worker types (the `applicant` fixture's dict)."""
    return {
        "name": data["name"], "gender": data["gender"], "document_type": data["document_type"],
        "document_number": data["document_number"], "phone": data["phone"], "town_street": data["town_street"].pk,
        "job": data["job"], "address": data["address"], "consent": "on", "idempotency_key": str(uuid.uuid4()),
        **extra,
    }
