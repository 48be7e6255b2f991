"""svc-approvals finds the county's organisation wherever it is started or tested from."""

from __future__ import annotations

from pathlib import Path

import pytest

from ys_approvals.settings import Settings


def test_county_file_does_not_depend_on_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("YS_COUNTY_FILE", raising=False)
    assert Settings().county_file.exists()
