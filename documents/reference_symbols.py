"""Recognising the symbol of a document (số, ký hiệu) in the folded text.

Split from ``documents/references.py`` (one concern per module, the reader having grown with the
shapes of web, table and PDF text): the bounded regular expression for every shape of symbol
(state, party, file-name, old, glued, lower-case and slug spellings), its parse into a canonical
``ref``, and the canonical spelling of issuer codes. What surrounds a symbol (type words, date,
issuer, summary) is read by ``documents/references.py``. Pure Python, standard library only.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from documents.reference_text import _DASHES, _canonical_code, _fold, _types

System = Literal["state", "party"]


# --------------------------------------------------------------------------- patterns

# Horizontal space, at most one line break: OCR output splits symbols; never unbounded.
_S = r"[ \t]{0,4}(?:\r?\n[ \t]{0,4})?"
# A line that starts with "- " is a bullet, unless what follows is a code in capitals (OCR split
# "QĐ\n- BGDĐT", "TTLT\n- TTg" versus the bullet "\n- Loại văn bản").
_DASH = (
    r"(?:[ \t]{0,4}-|[ \t]{0,4}\r?\n[ \t]{0,4}-(?=[ \t]{0,4}[A-Z&][A-Z&0-9]{1,11}[a-z]?(?![a-z])))"
    + _S
)
_SLASH = _S + r"/" + _S
_YEAR = r"(?:19|20)\d\d"
# One code segment (BGDDT, UBND, GDTrH, TTg, QH14, SGD&DT); "BGD DT" is the Ministry written
# with a space. All bounded.
_SEG = r"(?:[A-Z]{0,3}GD[ ]{1,2}DT(?![A-Za-z])|[A-Z&][A-Za-z0-9&]{0,11})"
# After a dash, a capitalised word in lower case ("TT-BQP - Bộ Quốc phòng") is prose, not a code.
_BODY = _SEG + r"(?:" + _DASH + r"(?![A-Z][a-z]{1,7}(?![A-Za-z0-9&]))" + _SEG + r"){0,4}"
# A number, not glued to a letter, digit or to another number's punctuation (45.799/36.875).
# "số123/2016/NĐ-CP" (PDF text that lost the space) is the one letter run a number may follow.
_NUM = r"(?:(?<![0-9A-Za-z/.,_&-])|(?<=[Ss][Oo])(?<![A-Za-z][Ss][Oo]))\d{1,5}(?![0-9])"


# The Party's issuers (TW, TU, HU, ĐU, QUTW, TWĐTN, BTGTU …), folded: only they make the old
# spellings 646/QĐ/QUTW and 15-NQ-TW party symbols.
_PARTY_ISSUER = r"[A-Z]{0,6}(?:TW|TU|HU|DU)[A-Z]{0,5}(?![A-Za-z0-9&])"
# Where a symbol may end: not inside a word or a number, except that a table cell can run into a
# date ("19/2018/TT-BGDĐT10/10/2018"), whose digits are then not part of the issuer.
_DATE_AHEAD = r"\d{1,2}/\d{1,2}/" + _YEAR + r"(?![0-9])"
_DATE_TAIL = r"/\d{1,2}/" + _YEAR + r"(?![0-9])"  # what is left of a date whose day was eaten
# Likewise "70-TB/TWngày 06 tháng 01": "ngày" glued to the issuer is not part of it.
_SYMBOL_END = (
    r"(?:(?![A-Za-z0-9&])(?<![A-Z]ngay)(?!(?<=[A-Za-z]\d)"
    + _DATE_TAIL
    + r")(?!(?<=[A-Za-z]\d\d)"
    + _DATE_TAIL
    + r")|(?<=[A-Za-z])(?="
    + _DATE_AHEAD
    + r")|(?<=[A-Z])(?=ngay(?![a-z])))"
)


def _known_codes_pattern() -> str:
    codes = sorted({_fold(c) for c in _types().in_symbol}, key=len, reverse=True)
    return r"(?i:" + "|".join(re.escape(c) for c in codes) + r")"


@lru_cache(maxsize=1)
def _symbol_re() -> re.Pattern[str]:
    known = _known_codes_pattern()
    state = (
        r"(?P<s_num>"
        + _NUM
        + r")"
        + _SLASH
        + r"(?:(?P<s_year>"
        + _YEAR
        + r")(?:"
        + _SLASH
        + r"|[ ]{0,2}-?(?="  # 02/1998-NĐ-CP, the form of the 1990s
        + known
        + _DASH
        + r")))?"
        + r"(?:(?P<s_code>"
        + known
        + r")(?:"
        + _DASH
        + r"|[ ]{1,2}(?=[A-Z][A-Z&])"
        # 53/1998/TTLT/BGDĐT-BTC: after a year, a slash may part the code from the issuer
        + r"|(?(s_year)"
        + _SLASH
        + r"|(?!)))"
        + r"(?P<s_iss>"
        + _BODY
        + r")"
        + r"|(?P<s_code_alone>"
        + known
        + r")(?![A-Za-z0-9&])(?!"
        + _DASH
        + r")"
        + r"|(?P<s_body>"
        + _BODY
        + r"))"
    )
    party = (
        r"(?P<p_num>"
        + _NUM
        + r")(?:"
        + _DASH
        + r"|[ ]{1,2})"
        + r"(?P<p_code>"
        + known
        + r")"
        + _SLASH
        + r"(?P<p_iss>"
        + _BODY
        + r")"
    )
    dashed = (
        r"(?P<d_num>"
        + _NUM
        + r")-(?P<d_year>"
        + _YEAR
        + r")-(?P<d_code>"
        + known
        + r")-"
        + r"(?P<d_iss>"
        + _BODY
        + r")"
    )
    # Old party spellings: the same separator twice (646/QĐ/QUTW, 15-NQ-TW); a mixed pair
    # (22/CT-TW) is a state-shaped symbol and stays as written.
    party_alt = (
        r"(?P<q_num>"
        + _NUM
        + r")(?:"
        + _S
        + r"/{1,2}"  # "10//HD/BTGDVTU"
        + _S
        + r"(?P<q_code>"
        + known
        + r")"
        + _SLASH
        + r"|[ ]{0,2}-[ ]{0,2}(?P<q_code2>"
        + known
        + r")[ ]{0,2}-[ ]{0,2})(?="
        + _PARTY_ISSUER
        + r")(?P<q_iss>"
        + _BODY
        + r")"
    )
    # A number glued to its type code, the separator lost (PDF, search titles): 40CT/TW is a party
    # symbol, 307QĐ TTG a state one. Accepted only after "số" or type words (see the caller).
    glued = (
        r"(?P<g_num>"
        + _NUM
        + r")(?P<g_code>"
        + known
        + r")(?:"
        + _SLASH
        + r"(?P<g_piss>"
        + _BODY
        + r")|(?:[ ]|"
        + _DASH
        + r")(?P<g_siss>"
        + _BODY
        + r"))"
    )
    # Symbols before NĐ 110/2004 and of the 1940s–1990s: a number and one code after a dash,
    # 15-CP, 55-HĐBT, 110-SL (accepted only after type words, or "số" with a type code).
    old = r"(?P<o_num>" + _NUM + r")-(?P<o_body>[A-Z][A-Za-z]{1,5})(?![/A-Za-z0-9&-])"
    # PDF text whose slashes became spaces: "Số 239 1999 QĐ-TTg" (needs "số" or type words).
    spaced = (
        r"(?P<v_num>"
        + _NUM
        + r")[ ](?P<v_year>"
        + _YEAR
        + r")[ ](?P<v_code>"
        + known
        + r")"
        + _DASH
        + r"(?P<v_iss>"
        + _BODY
        + r")"
    )
    # The words of a web address or a search title, separators turned into spaces:
    # "quyet dinh so 18 2020 qd ttg". Only ever used on text written in lower case.
    slug = (
        r"(?P<u_num>"
        + _NUM
        + r")[ ](?:(?P<u_year>"
        + _YEAR
        + r")[ ])?(?P<u_code>"
        + known
        + r")[ ](?P<u_iss>[A-Z]{2,8})(?![A-Za-z0-9&])"
    )
    # Every branch starts with a number: the lookahead lets other positions fail at once.
    return re.compile(
        r"(?=[0-9])(?:"
        + party
        + r"|"
        + party_alt
        + r"|"
        + dashed
        + r"|"
        + state
        + r"|"
        + glued
        + r"|"
        + old
        + r"|"
        + spaced
        + r"|"
        + slug
        + r")"
        + _SYMBOL_END
    )


_MOE_RE = re.compile(r"(?<![A-Za-zĐđ])([BSP]?)GD\s{0,2}[&-]?\s{0,2}[ĐD]T(?![A-Za-zĐđ])")


_DASH_TABLE = {ord(c): "-" for c in _DASHES}
_SPACE_RUN_RE = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def _canonical_issuer(written: str) -> str:
    s = _SPACE_RUN_RE.sub("", written.replace("Ð", "Đ").translate(_DASH_TABLE))
    return _MOE_RE.sub(lambda m: m.group(1) + "GDĐT", s)


@dataclass
class _Symbol:
    start: int
    end: int
    number: str
    year: int | None
    code: str | None  # canonical type code
    issuer_code: str | None
    system: System
    ref: str
    kind: str = ""  # "old" (15-CP, 110-SL) and "glued" (40CT/TW) need words before them


class _Upper:
    """Slices of a string in capitals: symbols written in lower case (06-ct/tw, 77/2014/tt-btc)."""

    def __init__(self, s: str) -> None:
        self.s = s

    def __getitem__(self, key: slice) -> str:
        return self.s[key].upper()


def _party(m: re.Match[str], n: str | _Upper, num: str, code_g: str, iss_g: str) -> _Symbol:
    code = _canonical_code(n[m.start(code_g) : m.end(code_g)])
    issuer = _canonical_issuer(n[m.start(iss_g) : m.end(iss_g)])
    number = m.group(num)
    return _Symbol(
        m.start(), m.end(), number, None, code, issuer, "party", f"{number}-{code}/{issuer}"
    )


def _state(
    m: re.Match[str],
    n: str | _Upper,
    number: str,
    year: str | None,
    code_g: str | None,
    iss_g: str | None,
    kind: str = "",
) -> _Symbol:
    """A state symbol (NĐ 30/2020): number[/year]/code-issuer, from the match's named groups."""
    code = _canonical_code(n[m.start(code_g) : m.end(code_g)]) if code_g else None
    issuer = _canonical_issuer(n[m.start(iss_g) : m.end(iss_g)]) if iss_g else None
    head = f"{number}/{year}/" if year else f"{number}/"
    tail = f"{code}-{issuer}" if code_g and iss_g else f"{code}" if code_g else f"{issuer}"
    return _Symbol(
        m.start(), m.end(), number, int(year) if year else None, code, issuer, "state",
        head + tail, kind,
    )  # fmt: skip


def _parse_symbol(m: re.Match[str], n: str | _Upper) -> _Symbol | None:
    g = m.groupdict()
    if g["q_num"] is not None:
        return _party(m, n, "q_num", "q_code" if g["q_code"] is not None else "q_code2", "q_iss")
    if g["g_num"] is not None:
        if g["g_piss"] is not None:
            sym = _party(m, n, "g_num", "g_code", "g_piss")
            sym.kind = "glued"
            return sym
        return _state(m, n, g["g_num"], None, "g_code", "g_siss", "glued")
    if g["v_num"] is not None:
        return _state(m, n, g["v_num"], g["v_year"], "v_code", "v_iss", "glued")
    if g["u_num"] is not None:
        return _state(m, n, g["u_num"], g["u_year"], "u_code", "u_iss", "slug")
    if g["o_num"] is not None:
        body = n[m.start("o_body") : m.end("o_body")]
        number = g["o_num"]
        code = _canonical_code(body)
        if code is not None and code in _types().in_symbol:
            return _Symbol(
                m.start(), m.end(), number, None, code, None, "state", f"{number}-{code}", "old"
            )
        issuer = _canonical_issuer(body)
        return _Symbol(
            m.start(), m.end(), number, None, None, issuer, "state", f"{number}-{issuer}", "old"
        )
    if g["p_num"] is not None:
        return _party(m, n, "p_num", "p_code", "p_iss")
    if g["d_num"] is not None:
        return _state(m, n, g["d_num"], g["d_year"], "d_code", "d_iss")
    number, year = g["s_num"], g["s_year"]
    if g["s_code"] is not None:
        return _state(m, n, number, year, "s_code", "s_iss")
    if g["s_code_alone"] is not None:
        return _state(m, n, number, year, "s_code_alone", None)
    return _state(m, n, number, year, None, "s_body")


# --------------------------------------------------------------------------- lower case

# Where a symbol may be written in lower case (search titles, slugs, texts typed without
# capitals): "46/2014/nđ-cp", "06-ct/tw", "307qđ ttg". Cheap to scan; each hit is then matched
# with the symbol pattern on an ASCII-capitalised copy.
_LOWER_HINT_RE = re.compile(
    r"(?<![0-9A-Za-z/.,_&-])\d{1,5}(?:[/ ]\d{4})?[ ]{0,2}[/-]?[ ]{0,2}[a-z]{1,5}[ ]{0,2}[/ -][ ]{0,2}[a-z]{2}"
)
_ASCII_UPPER = {c: c - 32 for c in range(ord("a"), ord("z") + 1)}


def _symbol_matches(f: str, n: str) -> list[tuple[re.Match[str], str | _Upper]]:
    """Symbol matches in order: as written, then those written wholly in lower case."""
    pattern = _symbol_re()
    found: list[tuple[re.Match[str], str | _Upper]] = [
        (m, n) for m in pattern.finditer(f) if m.group("u_num") is None
    ]
    hints = list(_LOWER_HINT_RE.finditer(f))
    if not hints:
        return found
    upper = f.translate(_ASCII_UPPER)  # same length: only a-z change
    capitals = _Upper(n)
    spans = [(m.start(), m.end()) for m, _ in found]
    starts = [a for a, _ in spans]
    extra: list[tuple[re.Match[str], str | _Upper]] = []
    last_end = -1
    for hint in hints:
        if hint.start() < last_end:
            continue
        m = pattern.match(upper, hint.start())
        if m is None or any(c.isupper() for c in f[m.start() : m.end()]):
            continue  # written with capitals: the first pass has judged it
        k = bisect.bisect_right(starts, m.start()) - 1
        if k >= 0 and m.start() < spans[k][1]:
            continue
        extra.append((m, capitals))
        last_end = m.end()
    if not extra:
        return found
    return sorted(found + extra, key=lambda item: item[0].start())
