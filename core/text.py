"""Vietnamese text helpers: search folding, name sorting, dates in papers.

Pure functions, no database: the one place for Vietnamese formatting (STYLE.md habit 7).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

_SPACES = re.compile(r"\s+")

# Combining marks that carry the five tones; the other marks (breve, circumflex, horn) make
# distinct letters of the alphabet (ă, â, ê, ô, ơ, ư).
_TONE_MARKS = {
    "\u0300": 1,  # huyền
    "\u0309": 2,  # hỏi
    "\u0303": 3,  # ngã
    "\u0301": 4,  # sắc
    "\u0323": 5,  # nặng
}

# The Vietnamese alphabet order, with the letters used only in foreign words slotted in.
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
# Two-digit codes: 00 separates words, 01..09 are left for digits-before-letters.
_LETTER_CODE = {letter: f"{index + 20:02d}" for index, letter in enumerate(_ALPHABET)}


def normalise(text: str) -> str:
    """NFC, with the look-alike Ð (U+00D0) read as Đ and runs of white space collapsed."""
    text = unicodedata.normalize("NFC", text).replace("\u00d0", "Đ")
    return _SPACES.sub(" ", text).strip()


def _base_letters() -> dict[int, str]:
    """Each precomposed Latin letter with diacritics -> its base letter, and Đ -> D."""
    table: dict[int, str] = {}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and base.isascii():
            table[code] = base
    # Đ is a letter of its own, not D with a mark; Ð (U+00D0) is its look-alike (see normalise).
    table.update({ord("Đ"): "D", ord("đ"): "d", ord("\u00d0"): "D"})
    return table


# The one table of Vietnamese (and other Latin) letters without their diacritics: search folding
# below and the reference reader (documents.reference_text) both fold with it.
BASE_LETTERS: dict[int, str] = _base_letters()


def fold_letters(text: str) -> str:
    """Letters without diacritics, case kept, one character for one: "Đắk Lắk" -> "Dak Lak".

    Offsets into the result are offsets into `text` (the reference reader relies on it).
    """
    return text.translate(BASE_LETTERS)


def fold(text: str) -> str:
    """Lower-case text without diacritics, for search: "Nguyễn Thế Dương" -> "nguyen the duong"."""
    letters = fold_letters(normalise(text).lower())
    # Marks the table does not know (on non-Latin letters, or left uncombined) go too.
    decomposed = unicodedata.normalize("NFD", letters)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_terms(query: str) -> list[str]:
    """The folded words of a search query; every one must appear in a match."""
    return [term for term in fold(query).split(" ") if term]


def split_name(full_name: str) -> tuple[str, str, str]:
    """Split a Vietnamese full name into (family name, middle names, given name)."""
    parts = normalise(full_name).split(" ")
    if len(parts) == 1:
        return "", "", parts[0]
    return parts[0], " ".join(parts[1:-1]), parts[-1]


def _letters_and_tones(word: str) -> tuple[str, str]:
    """Primary key (letters in alphabet order) and secondary key (tones) of one word."""
    primary: list[str] = []
    tones: list[str] = []
    for char in unicodedata.normalize("NFC", word.lower()):
        decomposed = unicodedata.normalize("NFD", char)
        base = decomposed[0]
        marks = decomposed[1:]
        tone = 0
        letter = base
        for mark in marks:
            if mark in _TONE_MARKS:
                tone = _TONE_MARKS[mark]
            else:
                letter = unicodedata.normalize("NFC", letter + mark)
        if char == "đ":
            letter = "đ"
        if letter in _LETTER_CODE:
            primary.append(_LETTER_CODE[letter])
        elif letter.isdigit():
            primary.append(f"0{letter}" if letter != "0" else "10")
        else:
            continue
        tones.append(str(tone))
    return "".join(primary), "".join(tones)


def name_sort_key(full_name: str) -> str:
    """A key that sorts names the Vietnamese way: given name first, then family and middle names.

    Letters follow the Vietnamese alphabet (a < ă < â < b … d < đ …) and tones only break ties.
    The key is made of digits alone, so byte order and any database collation agree.
    """
    family, middle, given = split_name(full_name)
    words = [given, *([family] if family else []), *middle.split(" ")]
    primaries: list[str] = []
    secondaries: list[str] = []
    for word in words:
        if not word:
            continue
        primary, tones = _letters_and_tones(word)
        primaries.append(primary)
        secondaries.append(tones)
    return "00".join(primaries) + "0000" + "0".join(secondaries)


def format_date(value: dt.date | None) -> str:
    """dd/mm/yyyy, as Vietnamese users write dates on screen."""
    return value.strftime("%d/%m/%Y") if value else ""


def paper_date(value: dt.date, place: str | None = None) -> str:
    """The date line of an official paper (NĐ 30/2020/NĐ-CP).

    Days below 10 and the months January and February take a leading zero:
    "Lạng Sơn, ngày 05 tháng 9 năm 2023", "ngày 26 tháng 01 năm 2024".
    """
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    text = f"ngày {value.day:02d} tháng {month} năm {value.year}"
    return f"{place}, {text}" if place else text


def school_year_label(start_year: int) -> str:
    """ "2023–2024" for the school year that starts in 2023."""
    return f"{start_year}–{start_year + 1}"


def format_number(value: Decimal | float | int) -> str:
    """Vietnamese number format: "1.234,5" (dot for thousands, comma for decimals)."""
    number = Decimal(str(value)).normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = ".".join(groups)
    return f"{sign}{result},{fraction}" if fraction else f"{sign}{result}"


_NUMBER_CHARS = re.compile(r"^[+-]?[\d.,\s]+$")


def parse_number(text: str) -> Decimal:
    """Read a number as Vietnamese users type it: "1.234,5", "45,5", "1 234", or "45.5".

    A comma is the decimal mark. Dots are thousands separators when they group digits by three
    ("1.234"), and a decimal point otherwise ("45.5"). Raises ValueError on anything else.
    """
    cleaned = normalise(text).replace(" ", "").replace("\u00a0", "")
    if not cleaned or not _NUMBER_CHARS.match(cleaned) or not any(c.isdigit() for c in cleaned):
        raise ValueError(text)
    sign = ""
    if cleaned[0] in "+-":
        sign, cleaned = cleaned[0].replace("+", ""), cleaned[1:]
    if "," in cleaned:
        whole, _, fraction = cleaned.rpartition(",")
        if "," in whole or "." in fraction:
            raise ValueError(text)
        groups = whole.split(".")
        if len(groups) > 1 and (not groups[0] or any(len(g) != 3 for g in groups[1:])):
            raise ValueError(text)
        return Decimal(f"{sign}{''.join(groups) or '0'}.{fraction}")
    groups = cleaned.split(".")
    if len(groups) == 2 and len(groups[1]) != 3:
        return Decimal(f"{sign}{groups[0] or '0'}.{groups[1]}")
    if len(groups) > 1 and (not groups[0] or any(len(g) != 3 for g in groups[1:])):
        raise ValueError(text)
    return Decimal(sign + "".join(groups))


_DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$", re.ASCII)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII)


def parse_date(text: str) -> dt.date:
    """Read a date as Vietnamese users type it: "23/8/2023", "23/08/2023", "23-08-2023", "23.8.2023".

    Day first, a four-digit year; ISO "2023-08-23" is read too. Raises ValueError on anything
    else, and on days that do not exist ("31/2/2024").
    """
    cleaned = normalise(str(text))
    match = _DATE_TEXT.match(cleaned)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        iso = _ISO_DATE.match(cleaned)
        if not iso:
            raise ValueError(text)
        year, month, day = (int(part) for part in iso.groups())
    if year < 1900:
        raise ValueError(text)
    return dt.date(year, month, day)  # ValueError for 31/2
