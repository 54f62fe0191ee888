"""The error a Bot API method answers with: HTTP status, description, retry_after for a 429."""

from __future__ import annotations


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after
