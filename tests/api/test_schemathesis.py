"""schemathesis against the API's own OpenAPI document: for every operation, a bounded, derandomised number of
generated requests (valid and invalid) with a valid token, then the same without; 0 server errors, 0 responses that
break the document. Runs in `make test` with the rest of the suite."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from tests.api.builders import make_token
from tests.factories import make_beneficiary, make_ri_decision

EXAMPLES_PER_OPERATION = 25
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


@pytest.fixture
def keep_the_test_connection():
    """As django.test.Client does: the WSGI handler must not close the test's database connection after a request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_the_test_connection")
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_its_document_without_a_server_error(cpas_a, cpas_b, mode):
    person = make_beneficiary(cpas_a)
    make_ri_decision(cpas_a, beneficiary=person)
    make_beneficiary(cpas_b)
    token = make_token(cpas_a)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6
    failures, statuses = [], []
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case):
            for headers in ({"Authorization": f"Bearer {token.text}"}, {}):
                response = case.call(headers=headers)
                statuses.append(response.status_code)
                try:
                    case.validate_response(response, checks=CHECKS)
                except Exception as error:  # collected, so that one run reports every operation's failures
                    failures.append(f"{case.method} {case.formatted_path}: {str(error)[:300]}")

        exercise()
    assert not failures, "\n".join(sorted(set(failures))[:20])
    assert len(statuses) >= 2 * len(operations) and 401 in statuses  # it did run, with and without the token
    if mode == GenerationMode.POSITIVE:
        assert 200 in statuses
