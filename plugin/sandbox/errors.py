"""Error types the sandbox raises inside route handlers and middleware."""

from __future__ import annotations


class ApiError(Exception):
    """A route error: ``{"status":"error","message":...,"type":...,"meta":...}``."""

    def __init__(self, status: int, type_: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.type = type_
        self.message = message


class MiddlewareError(Exception):
    """A middleware error: ``{"error": "..."}`` with no ``meta``."""

    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.status = status
        self.error = error


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"{what} not found")


def invalid_field(message: str) -> ApiError:
    return ApiError(400, "invalid_field", message)


def invalid_request(message: str) -> ApiError:
    return ApiError(400, "invalid_request", message)


def missing_field(name: str) -> ApiError:
    return ApiError(400, "missing_required_field", f"Missing required field: {name}")
