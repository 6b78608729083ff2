"""Values from requests (a did:web with %0a, headers, URLs) cannot split or forge log lines, in either format."""

import copy
import io
import json
import logging
import logging.config
from urllib.parse import unquote

import pytest
from django.conf import settings

from config.request_id import RequestIdFilter

FORGED = unquote("did:web:evil.example%0a2026-01-01 00:00:00,000 INFO awards [x] forged%0d%c2%85%e2%80%a8end")


def _formatter(name):
    """The formatter LOGGING configures under ``name``."""
    configuration = copy.deepcopy(settings.LOGGING["formatters"][name])
    return logging.config.DictConfigurator({}).configure_formatter(configuration)


def _record(message, *args, exc_info=None):
    record = logging.LogRecord("awards.verification", logging.WARNING, __file__, 1, message, args, exc_info)
    RequestIdFilter().filter(record)
    return record


@pytest.mark.parametrize("name", ["text", "json"])
def test_a_value_with_line_breaks_logs_as_one_line(name):
    line = _formatter(name).format(_record("Verifier fetch of %s refused", FORGED))
    assert len(line.splitlines()) == 1 and "forged" in line


def test_text_lines_show_the_line_breaks_as_escapes():
    line = _formatter("text").format(_record("Verifier fetch of %s refused", FORGED))
    assert "evil.example\\n2026-01-01" in line and "forged\\r\\u0085\\u2028end refused" in line


def test_json_lines_keep_the_value_exactly():
    line = _formatter("json").format(_record("Verifier fetch of %s refused", FORGED))
    assert json.loads(line)["message"] == f"Verifier fetch of {FORGED} refused"


def test_a_traceback_in_text_cannot_pass_for_a_record_of_its_own():
    try:
        raise ValueError(FORGED)
    except ValueError as error:
        text = _formatter("text").format(_record("Verification failed", exc_info=(type(error), error, None)))
    first, *traceback = text.split("\n")
    assert first.endswith("Verification failed") and traceback
    assert all(line.startswith("    ") for line in traceback) and "\\r" in traceback[-1]


def test_django_s_own_records_go_only_through_the_escaping_handler():
    django = logging.getLogger("django")
    assert django.handlers == [] and django.propagate


def test_a_url_with_an_encoded_newline_logs_its_404_on_one_line(client):
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        assert client.get("/programs/x%0a2026-01-01 INFO forged/").status_code == 404
    finally:
        handler.setStream(previous)
    assert len(stream.getvalue().splitlines()) == 1 and "forged" in stream.getvalue()


def test_celery_workers_keep_the_escaping_handler_at_the_level_asked():
    from celery.app.log import Logging

    from config.celery import app

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        app.log.setup_logging_subsystem(loglevel="WARNING")
        assert root.handlers == handlers and root.level == logging.WARNING
    finally:
        root.handlers, Logging._setup = handlers, False
        root.setLevel(level)
