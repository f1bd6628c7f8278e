"""Fuzz the central server's API from its own OpenAPI schema (schemathesis): no answer is a 5xx.

Every request is signed with an enrolled office's real key (a requests ``auth`` hook signs
the final method, path, query and body), so the generated data reaches the handlers behind
the authentication and not only the 401 in front of them. Bounded: a few dozen examples per
operation, valid and invalid data, no example database.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from kinerja_desktop.sync.keys import load_keys
from kinerja_desktop.sync.server import signing

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server_harness import ServerThread, make_district, rename, server_config

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

EXAMPLES = 25


class SignedBy(requests.auth.AuthBase):
    def __init__(self, keys) -> None:
        self.keys = keys

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        body = r.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        r.headers.update(signing.sign_request(self.keys, r.method, r.path_url, body))
        return r


def test_the_api_answers_every_generated_request_without_a_server_error(tmp_path, pg_url):
    central, offices, org = make_district(tmp_path, pg_url, offices=1, units=1, per_unit=3)
    office = offices[0]
    rename(central, org["employees"][:1], "untuk-diunduh")  # something waiting downstream
    try:
        with ServerThread(
            server_config(central, pg_url, tmp_path / "srv", max_upload_bytes=1024 * 1024, max_chunk_bytes=64 * 1024)
        ) as srv:
            schema = schemathesis.openapi.from_url(srv.url + "/openapi.json")
            session = requests.Session()
            session.auth = SignedBy(load_keys(office.site_id, office.keys_dir))
            operations = [r.ok() for r in schema.get_all_operations()]
            assert len(operations) >= 8
            checked = []
            for operation in operations:
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                    @settings(
                        max_examples=EXAMPLES,
                        deadline=None,
                        database=None,
                        derandomize=True,
                        suppress_health_check=list(HealthCheck),
                    )
                    @given(case=operation.as_strategy(generation_mode=mode))
                    def check(case):
                        response = case.call(session=session, timeout=30)
                        case.validate_response(response, checks=[not_a_server_error], additional_checks=[])
                        if mode is GenerationMode.POSITIVE and response.status_code < 300:
                            case.validate_response(
                                response, checks=[response_schema_conformance, content_type_conformance]
                            )

                    try:
                        check()
                    except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
                        assert mode is GenerationMode.NEGATIVE, operation.label
                    checked.append((operation.label, mode.value))
            assert len(checked) == 2 * len(operations)
            assert requests.get(srv.url + "/v1/health", timeout=10).status_code == 200
    finally:
        for s in (central, *offices):
            s.close()
