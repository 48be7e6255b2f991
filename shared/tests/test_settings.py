"""Settings every service shares."""

from __future__ import annotations

from pathlib import Path

import pytest

from yingshang.settings import COUNTY_FILE, ServiceSettings


def test_the_county_file_is_found_from_any_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("YS_COUNTY_FILE", raising=False)
    settings = ServiceSettings()
    assert settings.county_file == COUNTY_FILE
    assert settings.county_file.is_absolute()
    assert settings.county_file.exists()


def test_another_county_file_is_named_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YS_COUNTY_FILE", "/etc/yingshang/county.yaml")
    assert ServiceSettings().county_file == Path("/etc/yingshang/county.yaml")
