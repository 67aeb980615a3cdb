"""The request id on every log record: a context variable the request-id middleware sets, a filter that
copies it onto each record, and the formatters of the two log formats (NEWSROOM_LOG_FORMAT)."""

import contextvars
import logging

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# Fields every JSON line carries, after its time; python-json-logger adds `exc_info` and `extra=` fields.
JSON_FIELDS = "%(levelname)s %(name)s %(request_id)s %(message)s"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (None outside a request) on the record as `request_id`. A filter on
    the handler rather than on each logger, so records from Django, DRF and libraries get it too."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


def formatters() -> dict:
    """The `formatters` section of LOGGING: `json` (one JSON object a line, Arabic kept as written) and `text`
    (local time, for a developer reading a terminal)."""
    return {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": {"levelname": "level", "name": "logger"},
            # ISO 8601 in UTC with microseconds (asctime would be local time with no offset); the default
            # only reserves the key, so that `time` comes first on the line.
            "timestamp": "time",
            "defaults": {"time": None},
            "json_ensure_ascii": False,
        },
        "text": {"format": TEXT_FORMAT},
    }
