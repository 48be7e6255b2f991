"""The staff console in a real browser: served by the gateway, rendered in Chinese."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from yingshang.testing.browser import Chromium
from yingshang.testing.services import load_services

ROOT = Path(__file__).resolve().parents[2]
GATEWAY = next(s for s in load_services(ROOT) if s.name == "gateway")


async def test_console_page_renders_in_chinese(service_server: Any, chromium: Chromium) -> None:
    gateway = await service_server(GATEWAY.create_app, GATEWAY.settings_class, GATEWAY.service_dir)
    dom = await chromium.dom(f"{gateway.base_url}/console/")
    assert 'lang="zh-CN"' in dom
    assert "营商环境" in dom


def _page(text: str) -> str:
    html = f'<html lang="zh-CN"><body style="font: 64px sans-serif">{text}</body></html>'
    return "data:text/html;charset=utf-8," + quote(html)


async def test_chinese_glyphs_are_drawn_not_boxes(chromium: Chromium, tmp_path: Path) -> None:
    """Without a CJK font every character is the same empty box, so two different phrases of
    the same length would look identical; with one they differ."""
    first = await chromium.screenshot(_page("营商环境"), tmp_path / "first.png")
    second = await chromium.screenshot(_page("一委统筹"), tmp_path / "second.png")
    blank = await chromium.screenshot(_page(""), tmp_path / "blank.png")
    assert first != blank
    assert first != second
