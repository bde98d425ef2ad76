"""Reading a text before looking for references: normalisation and the table of type codes.

Split from ``documents/references.py`` (one concern per module, the reader having grown with the
shapes of web, table and PDF text): this module makes the NFC text and its one-for-one *folded*
copy on which every pattern runs, and loads the type codes (the catalogue, plus the spellings of
``data/symbol_variants.json``). Pure Python: the standard library and core.text (the letters
without diacritics).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.text import BASE_LETTERS

TYPES_PATH = Path(__file__).resolve().parent / "data" / "document_types.json"
# Codes of real symbols that the catalogue does not list (QĐi, CTHĐ, SL): read, never offered.
VARIANTS_PATH = Path(__file__).resolve().parent / "data" / "symbol_variants.json"


# --------------------------------------------------------------------------- type table


@dataclass(frozen=True)
class _TypeTable:
    name_by_code: dict[str, str]  # canonical code -> name
    canonical_by_key: dict[str, str]  # exact / upper / folded-upper spelling -> canonical code
    in_symbol: frozenset[str]  # canonical codes written in symbols
    code_by_name: dict[str, str]


@lru_cache(maxsize=1)
def _types() -> _TypeTable:
    data = json.loads(TYPES_PATH.read_text(encoding="utf-8"))
    name_by_code: dict[str, str] = {}
    in_symbol: set[str] = set()
    exact: dict[str, str] = {}
    upper: dict[str, str] = {}
    folded: dict[str, str] = {}
    for entry in data["types"]:
        code = entry["code"]
        name_by_code[code] = entry["name"]
        if entry.get("in_symbol", True):
            in_symbol.add(code)
        exact.setdefault(code, code)
        upper.setdefault(code.upper(), code)
        # First one wins on a folded clash (HD: Hướng dẫn before HĐ: Hợp đồng).
        folded.setdefault(_fold(code).upper(), code)
    # The party writes Công văn in its symbols (18-CV/BTGTU).
    in_symbol.add("CV")
    # The catalogue's own code for each name (Quy định → QyĐ), before the variants are added.
    code_by_name = {v: k for k, v in name_by_code.items()}
    variants = json.loads(VARIANTS_PATH.read_text(encoding="utf-8"))
    for entry in variants["codes"]:
        code = entry["code"]
        canonical = entry.get("canonical", code)  # TT-LT is written TTLT
        name_by_code.setdefault(canonical, entry["name"])
        in_symbol.add(code)
        exact.setdefault(code, canonical)
        upper.setdefault(code.upper(), canonical)
        folded.setdefault(_fold(code).upper(), canonical)
    canonical_by_key = {**folded, **upper, **exact}
    return _TypeTable(
        name_by_code=name_by_code,
        canonical_by_key=canonical_by_key,
        in_symbol=frozenset(in_symbol),
        code_by_name=code_by_name,
    )


@lru_cache(maxsize=4096)
def _canonical_code(written: str) -> str | None:
    table = _types().canonical_by_key
    written = written.replace("Ð", "Đ").replace("ð", "đ")
    for key in (written, written.upper(), _fold(written).upper()):
        if key in table:
            return table[key]
    return None


# --------------------------------------------------------------------------- folding

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
_SPACES = (
    "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)


def _build_fold_table() -> dict[int, str]:
    # The letters as search folds them (core.text), case kept; then what the reader also reads
    # as one: the eth look-alike of đ, every dash, every space, the slash look-alikes.
    table: dict[int, str] = {**BASE_LETTERS, ord("ð"): "d"}
    for ch in _DASHES:
        table[ord(ch)] = "-"
    for ch in _SPACES:
        table[ord(ch)] = " "
    table[ord("\u2215")] = "/"
    table[ord("\uff0f")] = "/"
    return table


_FOLD_TABLE = _build_fold_table()


def _fold(s: str) -> str:
    """Same length as ``s``: one folded character per NFC character."""
    return s.translate(_FOLD_TABLE)


# A starter followed by the combining marks of Vietnamese NFD text (and their neighbours).
_CLUSTER_RE = re.compile(
    r".[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+", re.S
)


def _nfc_slow(text: str, out: list[str], pos: list[int], base: int) -> None:
    """Cluster by cluster, for the rare segments whose NFC changes their length."""
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFC", text[i:j])
        out.append(piece)
        pos.extend([base + i] * len(piece))
        i = j


def _prepare(text: str) -> tuple[str, list[int] | None]:
    """NFC text with ``Ð`` → ``Đ``, and the map of its offsets into ``text`` (None: identity)."""
    if unicodedata.is_normalized("NFC", text):
        return text.replace("Ð", "Đ").replace("ð", "đ"), None
    out: list[str] = []
    pos: list[int] = []

    def plain(a: int, b: int) -> None:
        segment = text[a:b]
        nfc = unicodedata.normalize("NFC", segment)
        if len(nfc) == len(segment):
            out.append(nfc)
            pos.extend(range(a, b))
        else:
            _nfc_slow(segment, out, pos, a)

    last = 0
    for m in _CLUSTER_RE.finditer(text):
        if m.start() > last:
            plain(last, m.start())
        piece = unicodedata.normalize("NFC", m.group(0))
        out.append(piece)
        pos.extend([m.start()] * len(piece))
        last = m.end()
    if last < len(text):
        plain(last, len(text))
    pos.append(len(text))
    return "".join(out).replace("Ð", "Đ").replace("ð", "đ"), pos
