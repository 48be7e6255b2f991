"""A person's identity taken out of free text (DOMAIN.md, "Personal data"; confidentiality).

Fields are masked or left out (:mod:`yingshang.masking`), but free text is not trusted to be
clean: a requester says "我是周九，电话136 5555 6666" and the operator writes it down. A
:class:`Redactor` knows one case's person — every form of an enterprise's name, other terms
(a USCC, a contact's name) and phone numbers however they are written — and takes them out
of any text a reader receives: replaced by :data:`REDACTED` (an identity hidden from this
reader), or, for a phone the reader may see masked, by its mask (``138****5678``), as the
phone field reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from yingshang.masking import mask_phone

REDACTED = "[已隐去]"
# Legal-form suffixes and region prefixes people drop when naming a company in passing.
_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "合作社", "公司", "商行", "厂", "店")
_REGION = re.compile(r"^.{1,8}?[省市县区州]")
MIN_TERM = 2
# What people put between the digits of a phone number they write out: 135 1234 5678,
# 135-1234-5678, (0851) 2888-8888, 135.1234.5678.
_PHONE_GAP = r"[\s\-.()（）—–]*"
_NOT_DIGIT = re.compile(r"\D+")


def name_forms(name: str) -> set[str]:
    """``凤冈县绿源茶业有限公司`` → also ``凤冈县绿源茶业``, ``绿源茶业有限公司``, ``绿源茶业``."""
    forms = {name.strip()}
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            forms.add(name[: -len(suffix)])
            break
    for form in list(forms):
        short = _REGION.sub("", form, count=1)
        if short != form:
            forms.add(short)
    return {f for f in forms if len(f) >= MIN_TERM}


def phone_form(phone: str) -> str:
    """A pattern for ``phone`` however it is written: its digits with any separators between."""
    digits = [d for d in phone if d.isdigit()]
    return r"(?<!\d)" + _PHONE_GAP.join(digits) + r"(?!\d)"


def _dialable(phones: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(p for p in phones if p and any(d.isdigit() for d in p)))


@dataclass(frozen=True)
class Redactor:
    """Takes one person's identity out of text. ``Redactor()`` leaves text as it is.

    Most texts name nobody: a text that holds none of ``words`` (case-folded) and none of the
    phones' ``digits`` among its own digits cannot match, and is returned before the pattern
    is compiled (once per redactor, on the first text that may match: a compile costs more
    than a whole ticket intake)."""

    source: str | None = None  # the pattern (IGNORECASE)
    # the group of a phone (``p0``, ``p1`` …) → what it reads as; any other match: REDACTED
    shown: Mapping[str, str] = field(default_factory=dict)
    words: tuple[str, ...] = ()
    digits: tuple[str, ...] = ()

    @classmethod
    def hiding(
        cls,
        *,
        enterprises: Iterable[str | None] = (),
        terms: Iterable[str | None] = (),
        phones: Iterable[str | None] = (),
        masked_phones: Iterable[str | None] = (),
    ) -> Redactor:
        """Every form of the ``enterprises``' names, each of ``terms`` (a USCC, a person's
        name) and ``phones`` become :data:`REDACTED`; ``masked_phones`` read as their mask."""
        words: set[str] = set()
        for name in enterprises:
            if name:
                words |= name_forms(name)
        words |= {t.strip() for t in terms if t and t.strip()}
        hidden, masked = _dialable(phones), _dialable(masked_phones)
        masked = [p for p in masked if p not in hidden]
        forms = [f"(?P<p{i}>{phone_form(p)})" for i, p in enumerate(hidden + masked)]
        shown = {f"p{len(hidden) + i}": mask_phone(p) for i, p in enumerate(masked)}
        # longest first: no half-replaced names
        forms += [re.escape(w) for w in sorted(words, key=len, reverse=True)]
        if not forms:
            return cls()
        return cls(
            "|".join(forms),
            shown,
            words=tuple(w.casefold() for w in words),
            digits=tuple(_NOT_DIGIT.sub("", p) for p in hidden + masked),
        )

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        return None if self.source is None else re.compile(self.source, re.IGNORECASE)

    def _may_match(self, value: str) -> bool:
        if self.words:
            folded = value.casefold()
            if any(w in folded for w in self.words):
                return True
        if self.digits:
            run = _NOT_DIGIT.sub("", value)
            return any(d in run for d in self.digits)
        return False

    @classmethod
    def masking_phones(cls, *phones: str | None) -> Redactor:
        """Each of ``phones``, however written, reads as its mask (``138****5678``)."""
        return cls.hiding(masked_phones=phones)

    def _replace(self, match: re.Match[str]) -> str:
        return self.shown.get(match.lastgroup or "", REDACTED)

    def text(self, value: str) -> str:
        if self.source is None or not self._may_match(value):
            return value
        pattern = self.pattern
        assert pattern is not None
        return pattern.sub(self._replace, value)

    def optional(self, value: str | None) -> str | None:
        return None if value is None else self.text(value)
