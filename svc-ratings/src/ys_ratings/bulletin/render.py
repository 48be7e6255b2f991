"""CSV and printable HTML of a bulletin. HTML is escaped and self-contained (no external assets)."""

from __future__ import annotations

import csv
import io
from html import escape

from yingshang.spreadsheet import cell, safe_cell
from ys_ratings.bulletin.schemas import BulletinLine, BulletinOut

COLUMNS: list[tuple[str, str]] = [
    ("key", "编码"),
    ("label", "名称"),
    ("count", "评价数"),
    ("good_county", "好评数(4–5)"),
    ("county_good_rate", "好评率%(县规则)"),
    ("good_national", "非差评数(3–5)"),
    ("national_good_rate", "好评率%(国家规则)"),
    ("bad", "差评数"),
    ("rectifications", "整改数"),
    ("rectifications_due", "已完成或到期整改数"),
    ("rectified_on_time", "按期整改"),
    ("called_back", "已回访"),
    ("callback_rate", "回访率%"),
    ("rank", "排名"),
    ("flagged", "连续两月末位"),
]
# Every line says whether the month is closed, when its figures were taken and who closed it:
# a live download (未关账) never passes for a closed month's snapshot.
STATUS_COLUMNS = ["状态", "统计时间", "关账人"]
STATUS = {"closed": "已关账", "open": "未关账（实时统计）"}
FLAGGED_ROW = '<tr class="flagged">'
SECTIONS = [("departments", "部门"), ("windows", "窗口"), ("staff", "工作人员")]
# The CSV is read by county staff: its header row and its 范围 column in Chinese.
SCOPES = {"county": "全县", "department": "部门", "window": "窗口", "staff": "工作人员"}


def _cell(line: BulletinLine, field: str) -> str:
    value = getattr(line, field)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else ""
    return str(value)


def _status(report: BulletinOut) -> list[str]:
    return [STATUS[report.status], cell(report.computed_at), cell(report.closed_by_name)]


def to_csv(report: BulletinOut) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["月份", "范围", *[label for _, label in COLUMNS], *STATUS_COLUMNS])
    status = _status(report)
    for line in report.all_lines():
        cells = [safe_cell(_cell(line, f)) for f, _ in COLUMNS]
        writer.writerow([report.month, SCOPES[line.scope], *cells, *status])
    return "\ufeff" + out.getvalue()  # BOM: spreadsheet software then reads the Chinese right


STYLE = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;margin:2em;color:#111}
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.5em}
table{border-collapse:collapse;width:100%;font-size:.85em}
th,td{border:1px solid #999;padding:.25em .4em;text-align:right}
th:first-child,td:first-child{text-align:left}
tr.flagged td{background:#fde2e2;font-weight:bold}
@media print{body{margin:0}h2{page-break-before:auto}tr{page-break-inside:avoid}}
"""


def _table(lines: list[BulletinLine]) -> str:
    head = "".join(f"<th>{escape(label)}</th>" for _, label in COLUMNS)
    body = "".join(
        (FLAGGED_ROW if line.flagged else "<tr>")
        + "".join(f"<td>{escape(_cell(line, f))}</td>" for f, _ in COLUMNS)
        + "</tr>"
        for line in lines
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_html(report: BulletinOut) -> str:
    status = "已关账(快照)" if report.status == "closed" else "未关账(实时)"
    if report.closed_by_name:
        status += f" · 关账人: {report.closed_by_name}"
    sections = "".join(
        f"<h2>{escape(title)}</h2>{_table(getattr(report, name))}" for name, title in SECTIONS
    )
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(report.month)} 好差评月通报</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(report.month)} 政务服务好差评月通报</h1>"
        f"<p>状态: {escape(status)} · 统计时间: {escape(cell(report.computed_at))}</p>"
        "<p>县规则: 仅“满意”“非常满意”为好评(基本满意就是基本不满意); 国家规则: 非差评即好评。</p>"
        f"<h2>全县</h2>{_table([report.total])}{sections}</body></html>"
    )
