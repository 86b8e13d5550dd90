"""Structured logging (issue #12): every response names its request id, and the log
lines written while serving it carry the same id, as JSON in production."""

import io
import json
import logging

from django.test import Client

from core.logs import RequestIdFilter, current_request_id
from tests.factories import client_for


def test_every_response_carries_a_request_id(db):
    response = Client().get("/healthz")
    assert len(response["X-Request-ID"]) == 32


def test_a_sane_request_id_from_the_proxy_is_kept_and_a_bad_one_replaced(db):
    kept = Client().get("/healthz", HTTP_X_REQUEST_ID="proxy-4711-abcdef")
    assert kept["X-Request-ID"] == "proxy-4711-abcdef"
    replaced = Client().get("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert replaced["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(replaced["X-Request-ID"]) == 32


def test_log_lines_are_json_with_the_request_id(settings, world):
    from pythonjsonlogger.json import JsonFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        JsonFormatter("%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s")
    )
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client_for(world.sponsor_a).get(
            "/api/applications/999999/", HTTP_X_REQUEST_ID="trace-0000-1111"
        )
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines, "the 404 was not logged"
    assert all(line["request_id"] == "trace-0000-1111" for line in lines)
    assert current_request_id() == "-"  # nothing leaks past the request
