"""Two submissions of the same worker at once: one request, the other refused."""

import threading
import uuid

import pytest
from django.db import connection

from apps.core.errors import DomainError
from apps.membership.models import JoinRequest
from apps.membership.services import join_request_submit


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_key", [True, False])
def test_simultaneous_submissions_create_one_request(applicant, employer, same_key):
    key = uuid.uuid4()
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            request = join_request_submit(**applicant(employer=employer), idempotency_key=key if same_key else uuid.uuid4())
            outcomes.append(("ok", request.pk))
        except DomainError as exc:
            outcomes.append(("refused", exc.message))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert JoinRequest.objects.count() == 1
    if same_key:
        assert [o[0] for o in outcomes] == ["ok", "ok"] and outcomes[0][1] == outcomes[1][1]
    else:
        assert sorted(o[0] for o in outcomes) == ["ok", "refused"]
