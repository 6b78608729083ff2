import json
import logging

import pytest

from config import request_id

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id(client):
    response = client.get("/healthz")
    assert len(response["X-Request-ID"]) == 32


def test_a_proxys_request_id_is_kept_and_a_hostile_one_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234abcd")["X-Request-ID"] == "lb-1234abcd"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="bad id\\n<script>")["X-Request-ID"] != "bad id\\n<script>"


@pytest.mark.parametrize(
    "offered", ["lb-1234abcd\n", "lb-1234abcd\r\nX-Forged: 1", "lb-1234", "x" * 65, "lb-1234abcd é"]
)
def test_a_request_id_that_is_not_8_to_64_safe_characters_is_replaced(client, offered):
    returned = client.get("/healthz", HTTP_X_REQUEST_ID=offered)["X-Request-ID"]
    assert returned != offered and len(returned) == 32


def test_log_lines_are_json_with_the_request_id():
    record = logging.LogRecord("awards", logging.WARNING, __file__, 1, "Signing %s", ("x",), None)
    token = request_id._current.set("req-12345678")
    try:
        request_id.RequestIdFilter().filter(record)
    finally:
        request_id._current.reset(token)
    entry = json.loads(request_id.JSONFormatter().format(record))
    assert entry["message"] == "Signing x" and entry["request_id"] == "req-12345678" and entry["level"] == "WARNING"


def test_a_task_queued_during_a_request_runs_with_its_request_id(passed_attempt, django_capture_on_commit_callbacks):
    from celery import shared_task

    seen = []

    @shared_task(name="tests.record_request_id")
    def record_request_id():
        seen.append(request_id.current())

    token = request_id._current.set("req-abcdef12")
    try:
        record_request_id.apply_async(headers={"request_id": request_id.current()})
    finally:
        request_id._current.reset(token)
    assert seen == ["req-abcdef12"]


def test_a_task_drops_a_malformed_request_id_from_its_message():
    from celery import shared_task

    seen = []

    @shared_task(name="tests.record_malformed_request_id")
    def record_request_id():
        seen.append(request_id.current())

    record_request_id.apply_async(headers={"request_id": "req-abcdef12\n2026 INFO forged"})
    assert seen == [""]


def test_publishing_a_task_during_a_request_adds_the_header():
    headers = {}
    token = request_id._current.set("req-87654321")
    try:
        from celery.signals import before_task_publish

        before_task_publish.send(sender="awards.tasks.issue_award", headers=headers, body=None)
    finally:
        request_id._current.reset(token)
    assert headers == {"request_id": "req-87654321"}
