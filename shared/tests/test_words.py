"""Every text the services write for people is Chinese: a problem's detail (what the console
shows after its title) and a note a service writes on a timeline by itself. Read from the
source of every package, so a new English sentence is caught where it is written."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(p for p in ROOT.glob("*/src") if p.parent.name in ("shared", "gateway")
                 or p.parent.name.startswith("svc-"))  # fmt: skip
PROBLEMS = {"DomainError", "NotFound", "Forbidden", "Unauthorized", "Conflict", "Invalid",
            "PreconditionFailed", "PreconditionRequired", "TooManyRequests", "MalformedBody",
            "ServiceUnavailable"}  # fmt: skip
CJK = re.compile(r"[\u4e00-\u9fff]")
SENTENCE = re.compile(r"[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}")
WORDS = re.compile(r"\b[a-z]{2,} [a-z]{2,} [a-z]{2,}\b")  # English amid Chinese


def _texts(node: ast.expr) -> Iterator[str]:
    """The literal text of a string or f-string (placeholders left out)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        yield "".join(v.value for v in node.values if isinstance(v, ast.Constant))


def _english(text: str) -> bool:
    return bool(WORDS.search(text)) or (not CJK.search(text) and bool(SENTENCE.search(text)))


@cache
def _modules() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text())) for src in SOURCES for path in src.rglob("*.py")
            if "testing" not in path.parts]  # fmt: skip


def _problem_classes(modules: list[tuple[Path, ast.Module]]) -> set[str]:
    """The shared problems and every subclass of them the packages define."""
    names, grown = set(PROBLEMS), True
    while grown:
        grown = False
        for _, tree in modules:
            for node in ast.walk(tree):
                bases = {b.id for b in getattr(node, "bases", []) if isinstance(b, ast.Name)}
                if isinstance(node, ast.ClassDef) and bases & names and node.name not in names:
                    names.add(node.name)
                    grown = True
    return names


def _callee(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def test_the_sources_are_found() -> None:
    assert {p.parent.name for p in SOURCES} >= {"shared", "gateway", "svc-hotline", "svc-visits"}


@pytest.mark.parametrize("what", ["problem details and titles", "timeline notes"])
def test_no_english_sentence_is_written_for_people(what: str) -> None:
    modules = _modules()
    problems = _problem_classes(modules)
    found = []
    for path, tree in modules:
        for node in ast.walk(tree):
            texts: list[ast.expr] = []
            if what.startswith("problem") and isinstance(node, ast.Call):
                if _callee(node) in problems:
                    texts = node.args[:1] + [k.value for k in node.keywords if k.arg == "detail"]
            elif what.startswith("problem") and isinstance(node, ast.ClassDef):
                if node.name in problems:
                    for stmt in node.body:
                        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Tuple):
                            texts = stmt.value.elts[-1:]  # (status, code, title)
            elif what.startswith("timeline") and isinstance(node, ast.Call):
                texts = [k.value for k in node.keywords if k.arg == "note"]
            for text_node in texts:
                for text in _texts(text_node):
                    if _english(text):
                        found.append(f"{path.relative_to(ROOT)}:{text_node.lineno}: {text!r}")
    assert not found, "\n".join(found)
