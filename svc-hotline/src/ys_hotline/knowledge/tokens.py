"""Chinese full-text tokens: single characters plus overlapping bigrams.

Chinese has no spaces between words, so an entry is indexed as the space-separated characters
and character bigrams of each CJK run (营业执照 → 营 业 执 照 营业 业执 执照); a query becomes
the bigrams of its runs (or the character, for a one-character run), all required. Both
营业执照 and 执照 then match an entry containing 营业执照. Latin words and digits are kept
whole, lower-cased.
"""

import re

# CJK unified ideographs (+ extension A, compatibility) or runs of Latin letters/digits.
_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-zA-Z]+")


def _is_cjk(run: str) -> bool:
    return not run[0].isascii()


def _bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_tokens(text: str) -> str:
    """The text to index: every character and bigram of CJK runs, Latin words whole."""
    seen: dict[str, None] = {}
    for run in _RUN.findall(text):
        if _is_cjk(run):
            seen.update(dict.fromkeys(run))
            seen.update(dict.fromkeys(_bigrams(run)))
        else:
            seen[run.lower()] = None
    return " ".join(seen)


def query_tokens(text: str) -> list[str]:
    """The tokens a query requires: bigrams of CJK runs (a lone character as itself)."""
    seen: dict[str, None] = {}
    for run in _RUN.findall(text):
        if not _is_cjk(run):
            seen[run.lower()] = None
        elif len(run) == 1:
            seen[run] = None
        else:
            seen.update(dict.fromkeys(_bigrams(run)))
    return list(seen)
