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


def test_the_access_log_is_one_json_line_per_request_without_the_query(settings, world):
    from pythonjsonlogger.json import JsonFormatter

    settings.ACCESS_LOG = True
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        JsonFormatter("%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s")
    )
    logger = logging.getLogger("zuwendo.access")
    logger.addHandler(handler)
    try:
        client = client_for(world.sponsor_a)  # a new client: the middleware reads the setting
        ok = client.get("/api/applications/?search=Meier", HTTP_X_REQUEST_ID="trace-2222-3333")
        missing = client.get("/api/applications/999999/")
        anonymous = Client().get("/healthz")
    finally:
        logger.removeHandler(handler)
    assert (ok.status_code, missing.status_code, anonymous.status_code) == (200, 404, 200)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("GET", "/api/applications/", 200),
        ("GET", "/api/applications/999999/", 404),
        ("GET", "/healthz", 200),
    ]
    assert "Meier" not in stream.getvalue()
    assert lines[0]["request_id"] == "trace-2222-3333"
    assert lines[0]["user_id"] == lines[1]["user_id"] == world.sponsor_a.pk
    assert lines[2]["user_id"] is None
    assert all(line["duration_ms"] >= 0 for line in lines)


def test_no_access_log_when_turned_off(settings, db):
    settings.ACCESS_LOG = False
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("zuwendo.access")
    logger.addHandler(handler)
    try:
        assert Client().get("/healthz").status_code == 200
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue() == ""
