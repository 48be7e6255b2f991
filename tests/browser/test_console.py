"""The staff console in a real browser: served by the gateway, rendered in Chinese."""

from __future__ import annotations

from typing import Any


def test_console_page_renders_in_chinese(console: Any) -> None:
    page = console.new_page()
    page.goto(f"{console.base}/console/")
    page.wait_for_selector("main .tiles")
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert "营商环境" in page.inner_text("body")


def _drawn(page: Any, text: str) -> bytes:
    html = f'<html lang="zh-CN"><body style="font: 64px sans-serif">{text}</body></html>'
    page.set_content(html)
    return bytes(page.screenshot(clip={"x": 0, "y": 0, "width": 400, "height": 120}))


def test_chinese_glyphs_are_drawn_not_boxes(console: Any) -> None:
    """Without a CJK font every character is the same empty box, so two different phrases of
    the same length would look identical; with one they differ."""
    page = console.new_page()
    first, second, blank = (_drawn(page, t) for t in ("营商环境", "一委统筹", ""))
    assert first != blank
    assert first != second
