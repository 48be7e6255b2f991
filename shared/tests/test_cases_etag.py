"""ETags and If-Match: strong tags issued, real tags required, weak prefixes tolerated."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from fastapi import Response

from yingshang.cases.etag import check_if_match, etag_for, parse_if_match, set_etag
from yingshang.problems import PreconditionFailed, PreconditionRequired


@dataclass
class Row:
    id: uuid.UUID
    version: int


ROW = Row(uuid.UUID("00000000-0000-4000-8000-000000000001"), 3)
TAG = '"ticket-00000000-0000-4000-8000-000000000001-3"'


def test_the_tag_names_kind_id_and_version() -> None:
    assert etag_for(ROW, "ticket") == TAG
    response = Response()
    assert set_etag(response, ROW, "ticket") == TAG
    assert response.headers["etag"] == TAG


@pytest.mark.parametrize("header", [TAG, f"W/{TAG}", f'"other", {TAG}', f" {TAG} "])
def test_the_current_tag_passes(header: str) -> None:
    check_if_match(header, ROW, "ticket")


@pytest.mark.parametrize("header", [None, "", "  ", "*", '"x", *'])
def test_no_real_tag_is_428(header: str | None) -> None:
    with pytest.raises(PreconditionRequired):
        check_if_match(header, ROW, "ticket")


@pytest.mark.parametrize(
    "header",
    ['"ticket-00000000-0000-4000-8000-000000000001-2"', '"case-x-3"', "garbage", TAG.strip('"')],
)
def test_another_tag_is_412(header: str) -> None:
    with pytest.raises(PreconditionFailed):
        check_if_match(header, ROW, "ticket")


def test_parse_if_match_lists_the_tags() -> None:
    assert parse_if_match('"a", W/"b" ,, "c"') == ['"a"', '"b"', '"c"']
