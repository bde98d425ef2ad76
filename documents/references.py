"""Find the documents cited in a Vietnamese text ("Căn cứ Quyết định số 2457/QĐ-BGDĐT ...").

Pure module: standard library only, no Django, no database.

How it works
------------
The input is normalised to NFC (keeping a map back to the offsets of the input as given, so NFD
input and the ``Ð``/``Đ`` confusion do not shift offsets), then *folded* one character for one
character: diacritics dropped, ``Đ``/``Ð`` → ``D``, dashes → ``-``, odd spaces → space. All
patterns run on the folded text, which makes ``QD``, ``QĐ``, ``Quyet dinh`` and ``Quyết đinh``
alike; the values returned are cut from the NFC text.

1. *Symbols* (số, ký hiệu) are found first with one bounded regular expression:
   state ``2457/QĐ-BGDĐT``, regulatory ``01/2024/TT-BGDĐT``, công văn ``5155/BGDĐT-GDĐH``,
   party ``63-NQ/TU`` (NĐ 30/2020 and HD 36-HD/VPTW), with stray spaces and one line break
   allowed around ``/`` and ``-``.
2. Around each symbol, the words before it give the type (``Quyết định số``); the text after it
   gives the date (``ngày 23/8/2023``, ``ngày 23 tháng 8 năm 2023``, ``23-8-2023``), the issuer
   (after ``của``) and the summary (after ``về việc``/``về``/``V/v`` or a verb such as
   ``ban hành``), which runs to ``;``, the end of the sentence or paragraph, or the next listed
   reference.
3. Laws cited by name (``Luật Thi đua, khen thưởng 2022``) become references whose ``ref`` is the
   name (``Luật Thi đua, khen thưởng``) and whose ``year`` is the year given; a name followed by
   ``số 06/2022/QH15`` is one reference with that symbol.
4. A type word followed by a number without symbol is kept only when it is clearly a citation:
   ``Kế hoạch số 133 ngày 20/9/2019`` (ref ``133``), ``Thông tư số 29/2024`` (ref ``29/2024``).

Modules: ``reference_text`` (normalisation, folding, the type codes), ``reference_symbols`` (the
symbol pattern and its canonical ``ref``) and this one (what surrounds a symbol, laws by name, bare
numbers, the public API) — split by concern when the web, table and PDF shapes made one module
too long to read.

Normalisation of ``ref`` (see :func:`normalise_symbol`): NFC, no spaces, ``Ð`` → ``Đ``, en dashes
→ ``-``, the type code in its canonical spelling from ``data/document_types.json``
(``QD``/``Qd`` → ``QĐ``, ``ND`` → ``NĐ``), and the Ministry of Education's abbreviation and its
department forms canonicalised (``BGD&ĐT``, ``BGD-ĐT``, ``BGD ĐT``, ``BGDDT`` → ``BGDĐT``; likewise
``SGD&ĐT`` → ``SGDĐT``, ``PGD-ĐT`` → ``PGDĐT``). Other issuer codes are kept as written, minus
spaces.

One module of about 880 lines on purpose: the reader's grammar (the citation patterns, read
top to bottom in the order they are tried) and the matcher that walks it. The text folding and
the symbol parsing it uses are their own modules (reference_text.py, reference_symbols.py).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from documents.reference_symbols import (
    _ASCII_UPPER,
    _SLASH,
    _YEAR,
    System,
    _canonical_issuer,
    _parse_symbol,
    _Symbol,
    _symbol_matches,
    _symbol_re,
    _Upper,
)
from documents.reference_text import _fold, _prepare, _types

__all__ = ["Reference", "extract_references", "normalise_symbol", "symbol_key"]


@dataclass(frozen=True)
class Reference:
    """One cited document. Offsets index the input string as given."""

    ref: str
    type: str | None
    type_code: str | None
    number: str
    year: int | None
    issuer_code: str | None
    system: System
    date: dt.date | None
    issuer: str | None
    summary: str | None
    start: int
    end: int
    full_start: int
    full_end: int
    name: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "type": self.type,
            "type_code": self.type_code,
            "number": self.number,
            "year": self.year,
            "issuer_code": self.issuer_code,
            "system": self.system,
            "date": self.date.isoformat() if self.date else None,
            "issuer": self.issuer,
            "summary": self.summary,
            "name": self.name,
            "start": self.start,
            "end": self.end,
            "full_start": self.full_start,
            "full_end": self.full_end,
        }


# Type words, folded. Longest first so "thong tu lien tich" wins over "thong tu".
_TYPE_WORDS: list[tuple[str, str]] = [
    ("thong tu lien tich", "Thông tư liên tịch"),
    ("nghi quyet lien tich", "Nghị quyết liên tịch"),
    ("van ban hop nhat", "Văn bản hợp nhất"),
    ("quyet dinh", "Quyết định"),
    ("nghi dinh", "Nghị định"),
    ("nghi quyet", "Nghị quyết"),
    ("thong tu", "Thông tư"),
    ("cong van", "Công văn"),
    ("van ban", "văn bản"),  # generic: công văn unless the symbol says otherwise
    ("chi thi", "Chỉ thị"),
    ("ket luan", "Kết luận"),
    ("huong dan", "Hướng dẫn"),
    ("ke hoach", "Kế hoạch"),
    ("thong bao ket luan", "Thông báo"),
    ("thong bao", "Thông báo"),
    ("thong cao", "Thông cáo"),
    ("quy dinh", "Quy định"),
    ("quy che", "Quy chế"),
    ("chuong trinh", "Chương trình"),
    ("de an", "Đề án"),
    ("du an", "Dự án"),
    ("bao cao", "Báo cáo"),
    ("to trinh", "Tờ trình"),
    ("cong dien", "Công điện"),
    ("phap lenh", "Pháp lệnh"),
    ("sac lenh", "Sắc lệnh"),
    ("bo luat", "Bộ luật"),
    ("luat", "Luật"),
    ("cv", "Công văn"),
    ("qd", "Quyết định"),
    ("nd", "Nghị định"),
]
_GENERIC = "văn bản"
_ABBREVIATIONS = {"cv", "qd", "nd"}


def _type_words_pattern() -> str:
    parts = [re.escape(w).replace(r"\ ", r"\s{1,3}") for w, _ in _TYPE_WORDS]
    return r"(?:" + "|".join(parts) + r")"


_TW = _type_words_pattern()
_TW_I = "(?i:" + _TW[3:]  # the same alternation, case-insensitive inside case-sensitive patterns
# Words before a symbol: a type word, at most two qualifier words (Báo cáo thẩm tra số), "số".
_PREFIX_RE = re.compile(
    r"(?i)(?<![A-Za-z])(?P<tw>" + _TW + r")"
    r"(?:(?P<qual>(?:\s{1,3}[a-z]{2,8}){1,2}?)(?=\s{1,3}so\b))?"
    r"(?:\s{1,3}(?P<so>so|no\.?)\b)?[ \t]{0,3}:?\s{0,4}\Z"
)
_PREFIX_DIRECT_RE = re.compile(
    r"(?i)(?<![A-Za-z])(?P<tw>" + _TW + r")(?:\s{1,3}(?P<so>so|no\.?)\b)?[ \t]{0,3}:?\s{0,4}\Z"
)
_SO_ONLY_RE = re.compile(r"(?i)(?<![A-Za-z])(?:so|no\.?)[ \t]{0,3}:?\s{0,4}\Z")
# Lowercase words that may sit between a type word and "số" (Báo cáo thẩm tra số).
_QUALIFIERS = {"tham tra", "ket luan", "lien tich", "hop nhat", "sua doi", "lien nganh"}

_DATE_NUM = (
    r"(?P<d>\d{1,2})[ \t]{0,2}[/.-][ \t]{0,2}(?P<m>\d{1,2})[ \t]{0,2}[/.-][ \t]{0,2}(?P<y>\d{4})"
)
_DATE_TXT = r"(?P<d2>\d{1,2})\s{1,3}thang\s{1,3}(?P<m2>\d{1,2})\s{1,3}nam\s{1,3}(?P<y2>\d{4})"
_DATE_ANY = r"(?:" + _DATE_NUM + r"|" + _DATE_TXT + r")(?![0-9])"
# Date right after a symbol: ", ngày 23/8/2023", "ngày 23 tháng 8 năm 2023", "23-8-2023".
_DATE_AFTER_RE = re.compile(
    r"(?i)[ \t]{0,3}[,:]?\s{0,3}(?P<ngay>(?:ban hanh\s{1,3})?(?:ngay\s{0,3}){1,2})?"
    r"(?:" + _DATE_ANY + r"|(?P<partial>\d{1,2}[ \t]{0,2}[/.-][ \t]{0,2}\d{1,2}(?![0-9/.-])))"
)
_BAD_DATE_RE = re.compile(
    r"(?i)[ \t]{0,3},?\s{0,3}ngay[ \t]{1,3}[0-9 .]{0,6}thang[^;,()]{0,12}?nam\s{1,3}\d{4}"
)
_YEAR_AFTER_RE = re.compile(r"(?i)[ \t]{0,3},?[ \t]{0,3}nam[ \t]{1,3}(?P<y>" + _YEAR + r")\b")
_CITE_RE = re.compile(r"[ \t]{0,3}\[\d{1,3}\]")
_OF_RE = re.compile(r"(?i)\s{0,3},?\s{0,3}(?<![A-Za-z])cua\s{1,3}")


def _phrases(*phrases: str) -> str:
    """Alternation of folded phrases whose spaces may be any short run of whitespace."""
    return "(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s{1,3}") for p in phrases) + ")"


# Verbs that open a summary ("của Chính phủ quy định chi tiết ...").
_VERBS = (
    "ban hanh",
    "quy dinh",
    "huong dan",
    "phe duyet",
    "sua doi",
    "bo sung",
    "dieu chinh",
    "cong bo",
    "ket luan",
    "tuyen truyen",
    "trien khai",
    "thanh lap",
    "giao cho",
    "bai bo",
    "thay the",
    "danh gia",
    "thong qua",
    "xac dinh",
    "giao nhiem vu",
    "thuc hien",
    "yeu cau",
    "de nghi",
    "cho phep",
)
_VERBS_RE = _phrases(*_VERBS)
# Where an issuer ends: "về", a verb (lowercase or capitals, never Title case: "Ban Chỉ đạo"),
# punctuation, a date, "và" before another type word.
_ISSUER_STOP_RE = re.compile(
    r"\s(?:ve|Ve|VE|V/v|v/v|V/V)(?![A-Za-z])"
    r"|\s" + _VERBS_RE + r"(?![A-Za-z])"
    r"|\s" + _VERBS_RE.upper().replace(r"\S", r"\s") + r"(?![A-Za-z])"
    r"|\s(?:ngay|Ngay|NGAY)\s{0,3}\d"
    r"|[;,.:()\[\]\"“”]|\n\s*\n|\s(?:va|cung)\s{1,3}(?=" + _TW_I + r")"
)
_SUMMARY_START_RE = re.compile(
    r"(?i)\s{0,3}[,:]?\s{0,3}(?:(?:ve\s{1,3}viec|v/v|vv|ve)(?![A-Za-z])\s{0,3}:?\s{0,3})+"
)
# A verb, but not a type word with its number ("Kết luận số 93-KL/TW").
_SUMMARY_VERB_RE = re.compile(
    r"(?i)\s{0,3}[,:]?\s{0,3}(?=" + _VERBS_RE + r"(?![A-Za-z])(?!\s{1,3}(?:so\b|\d)))"
)
_LATE_ISSUER_RE = re.compile(
    r"\scua\s{1,3}(?=Bo\s{1,3}truong|Thu\s{1,3}tuong|Chu\s{1,3}tich|Giam\s{1,3}doc"
    r"|Hieu\s{1,3}truong|Ban\s{1,3}Thuong\s{1,3}vu|Ban\s{1,3}Chap\s{1,3}hanh|Bo\s{1,3}Chinh\s{1,3}tri"
    r"|Ban\s{1,3}Bi\s{1,3}thu)"
)
_NESTED_RE = re.compile(r"(?i)\sso\s{0,3}\d|\d/[A-Z]|\d-[A-Z]{2}")
_PAREN_RE = re.compile(r"[ \t]{0,3}\([^()\n]{1,40}\)")
_ABOUT_LATER_RE = re.compile(
    r"[^;,.:()\[\]“”\"]{0,110}?(?P<about>\s(?:ve\s{1,3}viec|ve|V/v|v/v))\s{1,3}(?=[A-Za-z])"
)
_SUMMARY_COLON_RE = re.compile(r"[ \t]{0,3}:[ \t]{1,3}(?=[A-Z])")
_SUMMARY_VIEC_RE = re.compile(r"[ \t]{1,3}viec(?![A-Za-z])[ \t]{1,3}")
# Where a summary ends. Checked at depth 0 of parentheses only.
_SUMMARY_END_RE = re.compile(
    r";|\./|\.(?=\s|$)|\n[ \t]*\n|\n[ \t]*(?=[-+•*]|\d{1,2}[.)]\s|[a-z]\)\s|Can cu|Thuc hien"
    r"|Theo de nghi|Xet |[A-Z]{3,}\b)"
    r"|\n[ \t]*(?=" + _TW_I + r"\s{1,3}(?i:so\b|\d))"
    r"|,\s{1,3}(?=[A-Z0-9])(?![A-Z]{2,6},)|\s(?=Can cu\b)|\s(?:va|cung)\s{1,3}(?=tinh hinh|can cu)"
    r"|\s(?=se\s|co hieu luc\b)"
    r"|\s(?:va|cung)\s{1,3}(?=" + _TW_I + r"\s{1,3}(?i:so\b|\d))"
    r"|\s(?:de thuc hien|nham)\s"
)
_ALIAS_RE = re.compile(
    r"(?i)\(\s{0,2}(?:sau day|goi tat|goi chung|viet tat|" + _TW + r"\s{1,3}(?:so\s{0,3})?\d)"
)

# Laws cited by name.
# "luật" in lower case names a law only before a capital ("Căn cứ luật Tổ chức Chính phủ"), and
# never in "pháp luật" ("pháp luật Việt Nam").
_LAW_RE = re.compile(
    r"(?<![A-Za-z])(?:(?P<kw>Bo luat|Luat)(?P<sp>\s{1,3})(?=[A-Za-z])"
    r"|(?<![Pp]hap )(?<!PHAP )(?P<low>luat)\s{1,3}(?=[A-Z]))"
)
_LAW_NOT_NAME = {
    "su",
    "phap",
    "gia",
    "hoc",
    "le",
    "nay",
    "do",
    "tren",
    "va",
    "la",
    "co",
    "duoc",
    "da",
    "dinh",
    "hien",
    "moi",
    "cu",
    "chung",
    "quy",
    "so",
    "nao",
    "khac",
    "cac",
    "nhu",
    "thi",
    "cung",
    "phai",
    "con",
    "chua",
    "se",
    "neu",
    "theo",
    "tai",
    "ve",
    "voi",
    "cho",
    "vao",
}
_WORD_RE = re.compile(r"[^\s;,.:()\[\]\"“”]+")

# A type word and a number without symbol: kept only with "số N/YYYY" or when a date or an
# issuer follows (Kế hoạch số 133 ngày 20/9/2019), never for aliases (gọi tắt là Thông tư số 17).
_NUMBER_ONLY_RE = re.compile(
    r"(?i)(?<![A-Za-z])(?P<tw>" + _TW + r")\s{1,3}(?:(?P<so>so)\s{0,3}:?\s{0,3})?"
    r"(?P<num>(?<![0-9])\d{1,5})(?:" + _SLASH + r"(?P<year>" + _YEAR + r"))?"
    r"(?![0-9A-Za-z/]|\s{0,2}-\s{0,2}[A-Za-z]|" + _SLASH + r"[A-Za-z0-9])"
)
_NUMBER_ONLY_FOLLOW_RE = re.compile(
    r"(?i)\s{0,3},?\s{0,3}(?:ngay\s{0,3}\d|(?P<cua>cua)\s|(?P<about>ve\s{1,3}viec)\s)"
)
# Types whose numbers carry the year since NĐ 104/2004 (Thông tư 01/2018): "N/YYYY" after their
# name is a citation even without "số" (a search title "THÔNG TƯ 01/2018 QUY ĐỊNH …").
_YEAR_NUMBERED = {
    "Thông tư",
    "Thông tư liên tịch",
    "Nghị định",
    "Nghị quyết",
    "Nghị quyết liên tịch",
    "Quyết định",
    "Chỉ thị",
}


# --------------------------------------------------------------------------- helpers


_SPACE_RUN_RE = re.compile(r"\s+")
_GAP_RE = re.compile(r"\s{0,3}(?:,|va|cung)?\s{0,3}(?:so\s{0,3})?")


def _clean(s: str) -> str:
    return _SPACE_RUN_RE.sub(" ", s).strip()


def _make_date(d: str | None, m: str | None, y: str | None) -> dt.date | None:
    if not (d and m and y):
        return None
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def _date_from(match: re.Match[str]) -> dt.date | None:
    g = match.groupdict()
    return _make_date(
        g.get("d") or g.get("d2"), g.get("m") or g.get("m2"), g.get("y") or g.get("y2")
    )


def _type_from_word(word_folded: str) -> str:
    key = re.sub(r"\s+", " ", word_folded.lower())
    for folded, name in _TYPE_WORDS:
        if folded == key:
            return name
    return key


@dataclass
class _Prefix:
    start: int
    type_word: str | None  # folded type word
    has_so: bool


def _prefix(f: str, start: int) -> _Prefix | None:
    window_start = max(0, start - 90)
    window = f[window_start:start]
    m = _PREFIX_DIRECT_RE.search(window)
    if m:
        return _Prefix(window_start + m.start(), m.group("tw"), m.group("so") is not None)
    m = _PREFIX_RE.search(window)
    if m:
        qual = m.group("qual")
        if qual is None or _clean(qual).lower() in _QUALIFIERS:
            return _Prefix(window_start + m.start(), m.group("tw"), m.group("so") is not None)
    m = _SO_ONLY_RE.search(window)
    if m:
        return _Prefix(window_start + m.start(), None, True)
    return None


def _split_glued(sym: _Symbol, word_type: str | None, f: str) -> _Symbol:
    """``2358/QĐBGDĐT`` (hyphen lost): split when the type words agree with the glued code."""
    if sym.code is not None or sym.issuer_code is None or word_type is None:
        return sym
    want = _types().code_by_name.get(word_type)
    if not want:
        return sym
    head = sym.issuer_code
    folded_want = _fold(want).upper()
    if _fold(head).upper().startswith(folded_want) and len(head) - len(want) >= 2:
        rest = head[len(want) :]
        if rest[:1].isupper():
            year = f"{sym.year}/" if sym.year else ""
            return _Symbol(
                sym.start,
                sym.end,
                sym.number,
                sym.year,
                want,
                rest,
                "state",
                f"{sym.number}/{year}{want}-{rest}",
            )
    return sym


def _resolve_type(word_type: str | None, code: str | None) -> str | None:
    table = _types()
    code_type = table.name_by_code.get(code) if code else None
    if word_type is None or word_type == _GENERIC:
        if code_type:
            return code_type
        return "Công văn" if word_type == _GENERIC else None
    if code_type and code_type != word_type and code_type.startswith(word_type):
        return code_type  # Thông tư + TTLT: the symbol is more precise
    return word_type


# --------------------------------------------------------------------------- context parsing


@dataclass
class _Context:
    date: dt.date | None
    issuer: str | None
    summary: str | None
    date_end: int  # end of the symbol plus an attached date (for list continuation)
    full_end: int
    year_only: int | None


def _parse_date_after(f: str, pos: int) -> tuple[dt.date | None, int, bool]:
    m = _DATE_AFTER_RE.match(f, pos)
    if m and (m.group("partial") is None or m.group("ngay") is not None):
        return _date_from(m), m.end(), True
    bad = _BAD_DATE_RE.match(f, pos)
    if bad:
        return None, bad.end(), True
    return None, pos, False


def _issuer_after(f: str, n: str, pos: int, limit: int) -> tuple[str | None, int]:
    m = _OF_RE.match(f, pos)
    if not m:
        return None, pos
    begin = m.end()
    stop = _ISSUER_STOP_RE.search(f, begin, min(limit, begin + 160))
    end = stop.start() if stop else min(limit, begin + 160)
    text = _clean(n[begin:end])
    words = text.split(" ")
    if len(words) > 14:
        text = " ".join(words[:14])
    if not text:
        return None, pos
    return text, end


def _all_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 8 and all(c.isupper() for c in letters)


def _summary_end(f: str, begin: int, limit: int) -> int:
    depth = 0
    i = begin
    hard = min(limit, begin + 600)
    while i < hard:
        m = _SUMMARY_END_RE.search(f, i, hard)
        paren = f.find("(", i, hard)
        close = f.find(")", i, hard)
        candidates = [x for x in (m.start() if m else -1, paren, close) if x >= 0]
        if not candidates:
            return hard
        nxt = min(candidates)
        if nxt == paren and (not m or paren <= m.start()) and (close < 0 or paren < close):
            if depth == 0 and _ALIAS_RE.match(f, paren):
                return paren
            depth += 1
            i = paren + 1
            continue
        if nxt == close and (not m or close <= m.start()):
            depth = max(0, depth - 1)
            i = close + 1
            continue
        assert m is not None
        if depth == 0 and f.startswith(",", m.start()) and _all_caps(f[begin : m.start()]):
            i = m.start() + 1  # a heading in capitals: every word after a comma is capitalised
            continue
        if depth == 0:
            return m.start()
        i = m.end() if m.end() > m.start() else m.start() + 1
    return hard


def _summary_after(
    f: str, n: str, pos: int, limit: int, search_about: bool = False
) -> tuple[str | None, int]:
    m = _SUMMARY_START_RE.match(f, pos) or _SUMMARY_VERB_RE.match(f, pos)
    if not m:
        m = _SUMMARY_COLON_RE.match(f, pos) or _SUMMARY_VIEC_RE.match(f, pos)
    if not m and search_about:
        # "Nghị quyết số 29-NQ/TW ngày ... Hội nghị lần thứ tám ... khóa XI về đổi mới ..."
        m = _ABOUT_LATER_RE.match(f, pos)
        if m and (len(f[pos : m.start("about")].split()) > 12 or "\n\n" in f[pos : m.end()]):
            m = None
    if not m:
        return None, pos
    begin = m.end()
    end = _summary_end(f, begin, limit)
    close = f.find("”", begin, end)
    if close >= 0 and f.find("“", begin, close) < 0:
        end = close  # the closing quote of a title opened before the reference
    text = _clean(n[begin:end]).rstrip(" ,:-–")
    if len(text) >= 2 and text[0] in '“"' and text[-1] in '”"':
        text = text[1:-1].strip()
    elif text[:1] in '“"' and text.count("”") + text.count('"') <= 1:
        text = text[1:].strip()
    if not text:
        return None, pos
    return text, end


def _context(f: str, n: str, pos: int, limit: int) -> _Context:
    date, pos2, found = _parse_date_after(f, pos)
    year_only = None
    if not found:
        ym = _YEAR_AFTER_RE.match(f, pos)
        if ym:
            year_only = int(ym.group("y"))
            pos2 = ym.end()
    date_end = pos2
    cm = _CITE_RE.match(f, pos2)
    if cm:
        pos2 = cm.end()
    issuer, pos3 = _issuer_after(f, n, pos2, limit)
    if issuer is not None and date is None:
        # "của UBND tỉnh ngày 5/9/2023"
        d2, pos4, found2 = _parse_date_after(f, pos3)
        if found2:
            date, pos3 = d2, pos4
    paren = _PAREN_RE.match(f, pos3)  # "của Bộ Chính trị (khóa X) về ..."
    if paren:
        pos3 = paren.end()
    summary, pos5 = _summary_after(f, n, pos3, limit, search_about=issuer is None)
    if summary is not None and issuer is None:
        # "... về việc ban hành Khung kế hoạch ... của Bộ trưởng Bộ Giáo dục và Đào tạo (GDĐT),"
        late = _LATE_ISSUER_RE.search(f, pos3, pos5) if _SUMMARY_START_RE.match(f, pos3) else None
        if late and not _NESTED_RE.search(f, pos3, late.start()):
            issuer, _ = _issuer_after(f, n, late.start(), limit)
            if issuer is not None:
                summary = _clean(n[pos3 : late.start()])
                start = _SUMMARY_START_RE.match(f, pos3) or _SUMMARY_VERB_RE.match(f, pos3)
                if start:
                    summary = _clean(n[start.end() : late.start()]) or None
    full_end = max(pos3, pos5) if summary else pos3
    return _Context(date, issuer, summary, date_end, full_end, year_only)


# --------------------------------------------------------------------------- named laws


@dataclass
class _Law:
    start: int
    end: int  # end of the name
    name: str
    year: int | None
    date: dt.date | None
    full_end: int
    symbol_at: int | None  # start of "số <symbol>" following the name


_LAW_DATE_RE = re.compile(r"(?i)\s{0,3},?\s{0,3}(?:ngay\s{0,3}){1,2}" + _DATE_ANY)
_LAW_YEAR_RE = re.compile(r"(?i)\s{1,3}(?:nam\s{1,3})?(" + _YEAR + r")(?![0-9/-]|\.\d)")
_LAW_SO_RE = re.compile(r"(?i)\s{1,3}so\s{0,3}:?\s{0,3}(?=\d)")
_LAW_PASSED_RE = re.compile(
    r"(?i)\s{1,3}(?:duoc|da)\s[^;.\n]{0,80}?thong\s{1,3}qua\s{1,3}(?:ngay\s{0,3})?" + _DATE_ANY
)
_LAW_GAP_RE = re.compile(r"[ \t]{0,4}(?:\r?\n[ \t]{0,4})?")
# Lowercase words that end a law's name ("Luật Thi đua, khen thưởng đối với ngành Giáo dục").
_LAW_STOP_RE = re.compile(
    r"(?:duoc|da|doi voi|trong|tai|theo|ve|cho|nham|de|co|quy dinh|thi|la|nhu|se|voi|huong dan"
    r"|nay|hien hanh|cua|hoac|ma(?!\s{1,3}tuy)|khi)(?![A-Za-z])"  # "mà", not "ma túy"
)
_LAW_TAIL_SO_RE = re.compile(
    r"(?P<name>[^;,.:()\[\]\n\"“”]{1,80}?)\s{1,3}so\s{0,3}(?=\d{1,4}/\d{4}/QH\d{1,2}(?![0-9]))"
)
_LAW_NEXT_TYPE_RE = re.compile(
    r"(?:Bo luat|Luat|Nghi dinh|Nghi quyet|Quyet dinh|Thong tu|Chi thi|Cong van|Ke hoach"
    r"|Huong dan|Phap lenh|Van ban)(?![A-Za-z])"
)


def _law_at(f: str, n: str, m: re.Match[str], limit: int) -> _Law | None:
    pos = m.end()
    first = _WORD_RE.match(f, pos)
    if not first or (first.group(0)[:1].islower() and first.group(0) in _LAW_NOT_NAME):
        return None
    amendment = f[pos : pos + 7].lower() == "sua doi"
    date: dt.date | None = None
    year: int | None = None
    symbol_at: int | None = None
    full_end = end = pos
    words = 0
    i = pos
    hard = min(limit, pos + 240)
    while i < hard:
        w = _WORD_RE.match(f, i)
        if not w or not w.group(0)[:1].isalpha():
            break
        words += 1
        i = end = full_end = w.end()
        glued = w.group(0)
        if len(glued) > 4 and glued.endswith("ngay") and _LAW_DATE_RE.match(f, i - 4):
            i = end = i - 4  # "Chính phủngày 25 tháng 12 năm 2001": the space was lost
        if words >= (24 if amendment else 14):
            break
        dm = _LAW_DATE_RE.match(f, i)
        if dm:
            date, full_end = _date_from(dm), dm.end()
            break
        ym = _LAW_YEAR_RE.match(f, i)
        if ym:
            year, full_end = int(ym.group(1)), ym.end()
            sm = _LAW_SO_RE.match(f, full_end)  # "Luật Giáo dục 2019 số 43/2019/QH14"
            if sm:
                symbol_at = sm.end()
            break
        sm = _LAW_SO_RE.match(f, i)
        if sm:
            symbol_at = sm.end()
            break
        j = i
        if f.startswith(",", j):
            cont = re.match(r",[ \t]{1,3}([a-z]+)", f[j : j + 20])
            if not cont or _LAW_STOP_RE.match(cont.group(1)):
                break
            j += 1
        gap = _LAW_GAP_RE.match(f, j)
        k = gap.end() if gap else j
        if k == j:
            break  # punctuation or end
        if "\n" in f[j:k] and (f[k : k + 1] in "\n-+•" or f.startswith("Can cu", k)):
            break
        nxt = _WORD_RE.match(f, k)
        if not nxt:
            break
        word = nxt.group(0)
        if word[:1].islower() and _LAW_STOP_RE.match(f, k):
            low = word.lower()
            if not (amendment and low in ("cua", "va")):
                break
        if not amendment:
            if _LAW_NEXT_TYPE_RE.match(f, k):
                break
            if word in ("va", "cung"):
                after = _LAW_GAP_RE.match(f, nxt.end() + 1)
                if after and _LAW_NEXT_TYPE_RE.match(f, after.end()):
                    break
        i = k
    if words == 0:
        return None
    if date is None and year is None and symbol_at is None:
        # "Luật Đầu tư theo phương thức đối tác công tư số 64/2020/QH14": a name may hold a stop
        # word when the law's own number (…/QH…) follows in the same clause.
        tail = _LAW_TAIL_SO_RE.match(f, end)
        if tail:
            end, symbol_at = tail.end("name"), tail.end()
    if date is None and year is None:
        # "Luật tổ chức HĐND và UBND được Quốc hội ... thông qua ngày 26 - 11 - 2003"
        passed = _LAW_PASSED_RE.match(f, end)
        if passed:
            date, full_end = _date_from(passed), passed.end()
    name = _clean(n[m.start() : end])
    if name[:1] == "l":
        name = "L" + name[1:]  # the name as a title: "luật Tổ chức Chính phủ" → "Luật …"
    if date is not None:
        year = date.year
    return _Law(m.start(), end, name, year, date, max(full_end, end), symbol_at)


# --------------------------------------------------------------------------- public API


def extract_references(text: str) -> list[Reference]:
    """Every document cited in ``text``, in order of appearance."""
    if not text:
        return []
    n, pos_map = _prepare(text)
    f = _fold(n)
    length = len(f)

    def orig(i: int) -> int:
        return pos_map[i] if pos_map is not None else i

    found: list[tuple[int, Reference]] = []
    taken: list[tuple[int, int]] = []  # spans (in n) already claimed by a reference

    # Named laws first: their spans hide the inner "Luật" of amendment laws.
    laws: dict[int, _Law] = {}  # keyed by the offset of their "số <symbol>"
    law_spans: list[tuple[int, int]] = []
    for m in _LAW_RE.finditer(f):
        if law_spans and m.start() < law_spans[-1][1]:
            continue
        law = _law_at(f, n, m, length)
        if law is None:
            continue
        law_spans.append((law.start, law.end))
        if law.symbol_at is not None:
            laws[law.symbol_at] = law
            continue
        found.append(
            (
                law.start,
                Reference(
                    ref=law.name,
                    type="Bộ luật" if f.startswith("Bo", law.start) else "Luật",
                    type_code=None,
                    number="",
                    year=law.year,
                    issuer_code=None,
                    system="state",
                    date=law.date,
                    issuer=None,
                    summary=None,
                    start=orig(law.start),
                    end=orig(law.end),
                    full_start=orig(law.start),
                    full_end=orig(law.full_end),
                    name=law.name,
                ),
            )
        )

    previous: tuple[int, str | None] | None = None  # (date_end, word type) of the last symbol
    for m, source in _symbol_matches(f, n):
        sym = _parse_symbol(m, source)
        if sym is None:
            continue
        prefix = _prefix(f, sym.start)
        word_type = _type_from_word(prefix.type_word) if prefix and prefix.type_word else None
        start = prefix.start if prefix and prefix.type_word else sym.start
        law = laws.get(sym.start)
        if law is not None:
            word_type, start = "Luật", law.start
        inherited = False
        if word_type is None and previous is not None:
            gap = f[previous[0] : sym.start]
            if previous[1] and _GAP_RE.fullmatch(gap):
                word_type, inherited = previous[1], True
        sym = _split_glued(sym, word_type, f)
        # Bare symbols need some evidence: a type code, "số", a type word, or two segments.
        has_words = word_type is not None or bool(prefix and prefix.has_so)
        if (
            sym.code is None
            and not has_words
            and (sym.issuer_code is None or "-" not in sym.issuer_code)
            and sym.year is None
        ):
            previous = None
            continue
        if sym.code is not None and sym.issuer_code is None and not has_words:
            continue
        if sym.kind == "glued" and not has_words:
            continue
        if sym.kind == "slug" and word_type is None and not (has_words and sym.year):
            continue  # "18 2020 qd ttg" only after "quyet dinh (so)"
        if isinstance(source, _Upper) and sym.code is None:
            continue  # in lower case only a type code makes a symbol (not "trang 12/ab-cd")
        if sym.kind == "old" and sym.code is None and word_type is None:
            continue  # 15-CP, 55-HĐBT only after "Nghị định", "Quyết định" …
        if inherited and sym.code is not None:
            code_type = _types().name_by_code.get(sym.code)
            if code_type and word_type not in (None, _GENERIC) and code_type != word_type:
                word_type = None
        ref_type = _resolve_type(word_type, sym.code)
        ctx = _context(f, n, sym.end, length)
        previous = (ctx.date_end, word_type if word_type else None)
        end = sym.end
        while end > sym.start and f[end - 1].isspace():
            end -= 1
        year = sym.year
        found.append(
            (
                start,
                Reference(
                    ref=sym.ref,
                    type=ref_type,
                    type_code=sym.code,
                    number=sym.number,
                    year=year,
                    issuer_code=sym.issuer_code,
                    system=sym.system,
                    date=ctx.date,
                    issuer=ctx.issuer,
                    summary=ctx.summary,
                    start=orig(start),
                    end=orig(end),
                    full_start=orig(start),
                    full_end=orig(max(ctx.full_end, end)),
                    name=law.name if law else None,
                ),
            )
        )
        taken.append((sym.start, sym.end))

    taken.sort()
    taken_starts = [a for a, _ in taken]
    for m in _NUMBER_ONLY_RE.finditer(f):
        word = _type_from_word(m.group("tw"))
        if word in ("Luật", "Chương trình", "Bộ luật") or m.group("tw").lower() in _ABBREVIATIONS:
            continue
        k = bisect.bisect_right(taken_starts, m.start("num")) - 1
        if k >= 0 and m.start("num") < taken[k][1]:
            continue
        num_end = m.end()
        if m.group("year") is None:
            follow = _NUMBER_ONLY_FOLLOW_RE.match(f, num_end)
            # "của" and "về việc" are weak evidence ("Nghị quyết 29 của Ban Chấp hành",
            # "Quy định 08 về …"): they need "số" ("Chỉ thị số 17 về việc …").
            weak = follow is not None and (follow.group("cua") or follow.group("about"))
            if not follow or (weak and m.group("so") is None):
                continue
        elif (
            m.group("so") is None
            and word not in _YEAR_NUMBERED
            and not _NUMBER_ONLY_FOLLOW_RE.match(f, num_end)
        ):
            continue
        number = m.group("num")
        ref = f"{number}/{m.group('year')}" if m.group("year") else number
        ctx = _context(f, n, num_end, length)
        found.append(
            (
                m.start(),
                Reference(
                    ref=ref,
                    type=_resolve_type(word, None),
                    type_code=None,
                    number=number,
                    year=int(m.group("year")) if m.group("year") else None,
                    issuer_code=None,
                    system="state",
                    date=ctx.date,
                    issuer=ctx.issuer,
                    summary=ctx.summary,
                    start=orig(m.start()),
                    end=orig(num_end),
                    full_start=orig(m.start()),
                    full_end=orig(max(ctx.full_end, num_end)),
                ),
            )
        )

    found.sort(key=lambda item: item[0])
    return [ref for _, ref in found]


def normalise_symbol(symbol: str) -> str:
    """Canonical form of a written symbol, for comparing with a register.

    ``2457/QD-BGD&ĐT`` → ``2457/QĐ-BGDĐT``; ``63 - NQ / TU`` → ``63-NQ/TU``. A string that is not
    a recognisable symbol comes back in NFC, without spaces, with ``Ð`` → ``Đ``.
    """
    n, _ = _prepare(symbol.strip())
    f = _fold(n)
    m = _symbol_re().fullmatch(f)
    source: str | _Upper = n
    if m is None and not any(c.isupper() for c in f):
        m, source = _symbol_re().fullmatch(f.translate(_ASCII_UPPER)), _Upper(n)  # "06-ct/tw"
    if m:
        sym = _parse_symbol(m, source)
        if sym is not None:
            return sym.ref
    return _canonical_issuer(n)


def symbol_key(symbol: str) -> str:
    """A looser key than :func:`normalise_symbol`: also ignores case and diacritics."""
    return _fold(normalise_symbol(symbol)).upper()
