"""A request id on every log line, carried from the web request into the Celery tasks it queues.

The id comes from the proxy's X-Request-ID (if it looks like one) or is made here; it is returned in the
response header, set on every log record as ``request_id``, and sent with each task as a message header.
"""

import contextvars
import json
import logging
import re
import uuid

from celery.signals import before_task_publish, task_postrun, task_prerun

_current = contextvars.ContextVar("request_id", default="")
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
HEADER = "X-Request-ID"


def current() -> str:
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(HEADER, "")
        token = _current.set(offered if _ACCEPTABLE.match(offered) else uuid.uuid4().hex)
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
    """One JSON object per line: what log collectors (Loki, ELK, CloudWatch) parse without rules."""

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
        return json.dumps(entry, ensure_ascii=False)


@before_task_publish.connect
def _send_request_id(headers=None, **kwargs):
    if headers is not None and _current.get():
        headers["request_id"] = _current.get()


@task_prerun.connect
def _receive_request_id(task=None, **kwargs):
    request_id = getattr(task.request, "request_id", None) or (task.request.headers or {}).get("request_id")
    task.request.request_id_token = _current.set(request_id or "")


@task_postrun.connect
def _forget_request_id(task=None, **kwargs):
    token = getattr(task.request, "request_id_token", None)
    if token is not None:
        _current.reset(token)
