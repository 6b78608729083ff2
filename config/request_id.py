"""A request id on every log line, carried from the web request into the Celery tasks it queues.

The id comes from the proxy's X-Request-ID (if it looks like one: 8–64 letters, digits, dots, dashes or
underscores, nothing else) or is made here; it is returned in the response header, set on every log record as
``request_id``, and sent with each task as a message header (and checked again when a worker reads it).
"""

import contextvars
import json
import logging
import re
import uuid

from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun

from config.log_safety import escape_controls

_current = contextvars.ContextVar("request_id", default="")
_ACCEPTABLE = re.compile(r"[A-Za-z0-9._-]{8,64}")
HEADER = "X-Request-ID"


def current() -> str:
    return _current.get()


def _acceptable(value) -> bool:
    # fullmatch: with match, "$" also accepts a trailing newline.
    return isinstance(value, str) and _ACCEPTABLE.fullmatch(value) is not None


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(HEADER, "")
        token = _current.set(offered if _acceptable(offered) else uuid.uuid4().hex)
        try:
            response = self.get_response(request)
            response[HEADER] = _current.get()
            return response
        finally:
            _current.reset(token)


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _current.get()
        return True


class JSONFormatter(logging.Formatter):
    """One JSON object per line: what log collectors (Loki, ELK, CloudWatch) parse without rules. The escapes
    json.dumps leaves out (U+2028, C1 controls) are added, so no reader splits the line."""

    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return escape_controls(json.dumps(entry, ensure_ascii=False))


@setup_logging.connect
def _keep_django_logging(loglevel=None, **kwargs):
    """Workers log through LOGGING's handler (request ids, escaped or JSON lines), at the level the worker's
    --loglevel asks for: connecting this signal stops Celery replacing that handler with its own."""
    if loglevel:
        logging.getLogger().setLevel(loglevel)


@before_task_publish.connect
def _send_request_id(headers=None, **kwargs):
    if headers is not None and _current.get():
        headers["request_id"] = _current.get()


@task_prerun.connect
def _receive_request_id(task=None, **kwargs):
    request_id = getattr(task.request, "request_id", None) or (task.request.headers or {}).get("request_id")
    task.request.request_id_token = _current.set(request_id if _acceptable(request_id) else "")


@task_postrun.connect
def _forget_request_id(task=None, **kwargs):
    token = getattr(task.request, "request_id_token", None)
    if token is not None:
        _current.reset(token)
