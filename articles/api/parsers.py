"""Request parsers that refuse what the database or a reader could not take: oversize bodies,
invalid UTF-8, invalid JSON, unpaired surrogates."""

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import BaseParser, JSONParser


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "body_too_large"

    def __init__(self):
        limit = settings.NEWSROOM_API_MAX_BODY
        super().__init__(_("the request body is larger than the limit of %(limit)s bytes") % {"limit": f"{limit:,}"})


def read_body(stream, parser_context) -> bytes:
    """The whole body, refusing one over NEWSROOM_API_MAX_BODY without reading all of it."""
    limit = settings.NEWSROOM_API_MAX_BODY
    request = (parser_context or {}).get("request")
    if request is not None:
        try:
            if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
                raise BodyTooLarge()
        except ValueError:
            raise ParseError(_("the Content-Length header is not a number")) from None
    data = stream.read(limit + 1) if stream is not None else b""
    if len(data) > limit:
        raise BodyTooLarge()
    return data


def _check_strings(value, path="body"):
    """Refuse what no field may hold, before any lookup: NUL characters (PostgreSQL cannot store them, nor
    search for them) and unpaired surrogates (JSON allows them as \\ud800 escapes)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ParseError(
                _("%(path)s contains a NUL character (\\u0000) at position %(at)s")
                % {"path": path, "at": value.index(chr(0))}
            )
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError(_("%(path)s contains an unpaired surrogate (\\ud800–\\udfff)") % {"path": path}) from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_strings(key, path)
            _check_strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_strings(item, f"{path}[{index}]")


def _no_constants(name):
    raise ValueError(_("%(name)s is not valid JSON") % {"name": name})


class StrictJSONParser(JSONParser):
    """JSON in UTF-8, within the size limit, standard JSON only (no NaN or Infinity)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = read_body(stream, parser_context)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ParseError(
                _("the body is not valid UTF-8 (invalid byte at offset %(offset)s)") % {"offset": error.start}
            ) from None
        try:
            parsed = json.loads(text, parse_constant=_no_constants)
        except (ValueError, RecursionError) as error:
            raise ParseError(_("the body is not valid JSON: %(error)s") % {"error": error}) from None
        _check_strings(parsed)
        return parsed


class PlainTextParser(BaseParser):
    """Raw wire copy as text/plain; the bytes are decoded by the ingest service (UTF-8 or a named legacy encoding)."""

    media_type = "text/plain"

    def parse(self, stream, media_type=None, parser_context=None):
        return read_body(stream, parser_context)
