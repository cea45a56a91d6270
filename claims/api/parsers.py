"""A JSON parser that enforces the 1 MiB body limit and refuses text PostgreSQL cannot store."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from .errors import PayloadTooLarge


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class LimitedJSONParser(JSONParser):
    """DRF reads the raw stream, bypassing DATA_UPLOAD_MAX_MEMORY_SIZE; check it here."""

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        if request is not None and limit is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                raise PayloadTooLarge()
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise PayloadTooLarge()
        try:
            data = json.loads(
                raw.decode(self.settings_encoding(parser_context)), parse_constant=_no_constant
            )
            # Lone surrogates ("\ud800") parse but cannot be encoded for the database.
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except (ValueError, UnicodeError) as exc:
            raise ParseError(f"Malformed JSON: {exc}") from None
        return data

    @staticmethod
    def settings_encoding(parser_context: dict | None) -> str:
        return (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
