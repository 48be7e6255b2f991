"""Route helpers shared by the routers of svc-visits: the database handle, documented errors."""

from typing import Annotated, Any

from fastapi import Depends, Request

from yingshang.db import Database

PREFIX = "/api/v1/visits"


async def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


Db = Annotated[Database, Depends(database)]

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no such object (or hidden)"}}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    403: {"description": "your positions do not allow this"},
    409: {"description": "conflicts with the current state or an existing record"},
    412: {"description": "changed since you read it (stale If-Match)"},
    422: {"description": "invalid body or parameter (the problem names the field)"},
    428: {"description": "If-Match missing"},
}
CREATE_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "your positions do not allow this"},
    404: {"description": "a referenced object does not exist (or is hidden)"},
    409: {"description": "conflicts with an existing record"},
    422: {"description": "invalid body (the problem names the field)"},
}
LIST_ERRORS: dict[int | str, dict[str, Any]] = {422: {"description": "invalid filter or cursor"}}
