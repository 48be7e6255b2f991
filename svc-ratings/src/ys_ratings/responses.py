"""Documented error responses of routes (``responses=`` of the route decorators)."""

from typing import Any

Responses = dict[int | str, dict[str, Any]]
