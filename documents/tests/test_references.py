"""documents.references: examples with hand-written expectations, variants, false positives."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path

import pytest

from documents.references import Reference, extract_references, normalise_symbol, symbol_key

LANG_SON = (
    "Căn cứ Quyết định số 2457/QĐ-BGDĐT, ngày 23/8/2023 của Bộ trưởng Bộ Giáo dục và Đào tạo "
    "về việc ban hành Kế hoạch nhiệm vụ, giải pháp trọng tâm năm học 2023-2024 của ngành giáo "
    "dục; Công văn số 5155/BGDĐT-GDĐH, ngày 22/9/2023 của Bộ Giáo dục và Đào tạo về việc hướng "
    "dẫn thực hiện nhiệm vụ năm học 2023-2024 đối với giáo dục đại học, cao đẳng sư phạm; Chỉ "
    "thị số 06/CT-UBND, ngày 05/9/2023 của Chủ tịch UBND tỉnh Lạng Sơn về thực hiện nhiệm vụ "
    "trọng tâm năm học 2023-2024; Nghị quyết số 63-NQ/TU, ngày 29/12/2021 của Ban Thường vụ "
    "Tỉnh ủy về tiếp tục đổi mới căn bản, toàn diện giáo dục và đào tạo."
)


def one(text: str) -> Reference:
    refs = extract_references(text)
    assert len(refs) == 1, [r.ref for r in refs]
    return refs[0]


def test_lang_son_paragraph() -> None:
    refs = extract_references(LANG_SON)
    assert [(r.ref, r.type, r.date, r.system) for r in refs] == [
        ("2457/QĐ-BGDĐT", "Quyết định", dt.date(2023, 8, 23), "state"),
        ("5155/BGDĐT-GDĐH", "Công văn", dt.date(2023, 9, 22), "state"),
        ("06/CT-UBND", "Chỉ thị", dt.date(2023, 9, 5), "state"),
        ("63-NQ/TU", "Nghị quyết", dt.date(2021, 12, 29), "party"),
    ]
    first, second, third, fourth = refs
    assert first.issuer == "Bộ trưởng Bộ Giáo dục và Đào tạo"
    assert first.summary == (
        "ban hành Kế hoạch nhiệm vụ, giải pháp trọng tâm năm học 2023-2024 của ngành giáo dục"
    )
    assert (first.type_code, first.number, first.issuer_code) == ("QĐ", "2457", "BGDĐT")
    assert second.issuer_code == "BGDĐT-GDĐH" and second.type_code is None
    assert third.issuer == "Chủ tịch UBND tỉnh Lạng Sơn"
    assert third.summary == "thực hiện nhiệm vụ trọng tâm năm học 2023-2024"
    assert fourth.issuer == "Ban Thường vụ Tỉnh ủy"
    assert fourth.summary == "tiếp tục đổi mới căn bản, toàn diện giáo dục và đào tạo"
    assert LANG_SON[first.start : first.end] == "Quyết định số 2457/QĐ-BGDĐT"
    assert LANG_SON[fourth.start : fourth.end] == "Nghị quyết số 63-NQ/TU"
    assert LANG_SON[first.full_start : first.full_end].endswith("của ngành giáo dục")


@pytest.mark.parametrize(
    ("text", "ref", "type_", "year"),
    [
        ("Thông tư số 01/2024/TT-BGDĐT", "01/2024/TT-BGDĐT", "Thông tư", 2024),
        ("Nghị định 30/2020/NĐ-CP", "30/2020/NĐ-CP", "Nghị định", 2020),
        (
            "Thông tư liên tịch số 07/2015/TTLT-BGDĐT-BNV",
            "07/2015/TTLT-BGDĐT-BNV",
            "Thông tư liên tịch",
            2015,
        ),
        (
            "Thông tư số 23/2015/TTLT-BGD ĐT-BNV",
            "23/2015/TTLT-BGDĐT-BNV",
            "Thông tư liên tịch",
            2015,
        ),
        ("Luật số 06/2022/QH15", "06/2022/QH15", "Luật", 2022),
        ("Kết luận số 91-KL/TW", "91-KL/TW", "Kết luận", None),
        ("Hướng dẫn 36-HD/VPTW", "36-HD/VPTW", "Hướng dẫn", None),
        ("Quy định số 29-QĐ/TW", "29-QĐ/TW", "Quy định", None),
        ("Công văn Số 18-CV/BTGTU", "18-CV/BTGTU", "Công văn", None),
        ("chỉ thị 40 CT/TƯ của Ban Bí thư", "40-CT/TƯ", "Chỉ thị", None),
        ("Văn bản số 1277/BGDĐT-QLCL", "1277/BGDĐT-QLCL", "Công văn", None),
        ("Văn bản hợp nhất 05/VBHN-BGDĐT", "05/VBHN-BGDĐT", "Văn bản hợp nhất", None),
        ("Quyết định số 669/QĐ-UBND-HC", "669/QĐ-UBND-HC", "Quyết định", None),
        ("Tờ trình số 33/TTr-UBND", "33/TTr-UBND", "Tờ trình", None),
        ("Quyết định số 1660/QĐ-TTg", "1660/QĐ-TTg", "Quyết định", None),
        # type implied by the code when no words are written
        ("theo 2457/QĐ-BGDĐT", "2457/QĐ-BGDĐT", "Quyết định", None),
        ("18-2019-TT-BGDĐT Thông tu ban hành", "18/2019/TT-BGDĐT", "Thông tư", 2019),
        # no type code and no words: no type
        ("xem 5155/BGDĐT-GDĐH.", "5155/BGDĐT-GDĐH", None, None),
    ],
)
def test_symbols(text: str, ref: str, type_: str | None, year: int | None) -> None:
    r = one(text)
    assert (r.ref, r.type, r.year) == (ref, type_, year)


@pytest.mark.parametrize(
    "text",
    [
        "Quyết định số 2457/QĐ-BGDĐT",
        "Quyết định số 2457 / QĐ - BGDĐT",
        "Quyết định số 2457/QD-BGD&ĐT",
        "Quyet dinh so 2457/QD-BGDDT",
        "QUYẾT ĐỊNH SỐ 2457/QĐ-BGDĐT",
        "Quyết định số 2457/Qd-BGD-ĐT",
        "Quyết định số 2457/QÐ-BGDÐT",  # Ð (U+00D0) typed for Đ
        "Quyết đinh số 2457/QĐ-BGDĐT",
        "Quyết định số 2457/QĐ-\nBGDĐT",
        "Quyết định\nsố 2457/QĐ–BGDĐT",  # en dash
        "Quyết định số: 2457/QĐ-BGDĐT",
        "Quyết định số 2457/QĐBGDĐT",  # hyphen lost in extraction
    ],
)
def test_spelling_variants_normalise(text: str) -> None:
    r = one(text)
    assert (r.ref, r.type) == ("2457/QĐ-BGDĐT", "Quyết định")
    assert r.start == 0


def test_nfd_input_keeps_offsets_of_the_input() -> None:
    nfd = unicodedata.normalize("NFD", LANG_SON)
    assert nfd != LANG_SON
    refs = extract_references(nfd)
    assert [r.ref for r in refs] == [r.ref for r in extract_references(LANG_SON)]
    assert unicodedata.normalize("NFC", nfd[refs[0].start : refs[0].end]) == (
        "Quyết định số 2457/QĐ-BGDĐT"
    )
    assert unicodedata.normalize("NFC", nfd[refs[3].start : refs[3].end]) == (
        "Nghị quyết số 63-NQ/TU"
    )
    assert refs[0].issuer == "Bộ trưởng Bộ Giáo dục và Đào tạo"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Quyết định số 12/QĐ-UBND ngày 23/8/2023", dt.date(2023, 8, 23)),
        ("Quyết định số 12/QĐ-UBND ngày 23 tháng 8 năm 2023", dt.date(2023, 8, 23)),
        ("Quyết định số 12/QĐ-UBND ngày 23\ntháng 8 năm\n2023", dt.date(2023, 8, 23)),
        ("Quyết định số 12/QĐ-UBND, 23-8-2023", dt.date(2023, 8, 23)),
        ("Quyết định số 12/QĐ-UBND, 05/9/2023 của UBND tỉnh", dt.date(2023, 9, 5)),
        ("Quyết định số 12/QĐ-UBND ngày 26 - 11 - 2003", dt.date(2003, 11, 26)),
        ("Quyết định số 12/QĐ-UBND của UBND tỉnh ngày 5/9/2023", dt.date(2023, 9, 5)),
        ("Quyết định số 12/QĐ-UBND ngày 22/2.", None),
        ("Quyết định số 12/QĐ-UBND ngày 31/2/2023", None),
        ("Quyết định số 12/QĐ-UBND", None),
    ],
)
def test_dates(text: str, date: dt.date | None) -> None:
    assert one(text).date == date


def test_type_named_once_for_several_numbers() -> None:
    refs = extract_references("các Quyết định số 12/QĐ-UBND, 13/QĐ-UBND và 14/QĐ-UBND")
    assert [(r.ref, r.type) for r in refs] == [
        ("12/QĐ-UBND", "Quyết định"),
        ("13/QĐ-UBND", "Quyết định"),
        ("14/QĐ-UBND", "Quyết định"),
    ]
    refs = extract_references("Công văn số 12/SGDĐT-GDTH, 13/SGDĐT-GDTH ngày 5/9/2023")
    assert [(r.ref, r.type) for r in refs] == [
        ("12/SGDĐT-GDTH", "Công văn"),
        ("13/SGDĐT-GDTH", "Công văn"),
    ]


def test_issuer_and_summary_variants() -> None:
    r = one(
        "Công văn số 357/PGDĐT ngày 29/8/2020 của Phòng Giáo dục - Đào tạo V/v hướng dẫn hoạt động;"
    )
    assert (r.issuer, r.summary) == ("Phòng Giáo dục - Đào tạo", "hướng dẫn hoạt động")
    r = extract_references(
        "Nghị định số 75/2006/NĐ-CP ngày 02/8/2006 của Chính phủ quy định chi tiết và hướng dẫn "
        "thi hành một số điều của Luật Giáo dục;"
    )[0]
    assert r.issuer == "Chính phủ"
    assert r.summary == "quy định chi tiết và hướng dẫn thi hành một số điều của Luật Giáo dục"
    r = one("Kế hoạch số 128-KH/TU ngày 5-9-2019 của Ban Chấp hành Đảng bộ tỉnh")
    assert (r.issuer, r.summary, r.date) == (
        "Ban Chấp hành Đảng bộ tỉnh",
        None,
        dt.date(2019, 9, 5),
    )
    r = one("Nghị quyết số 10-NQ/TU về huy động nguồn lực.\nĐiều 1. Ban hành")
    assert (r.issuer, r.summary) == (None, "huy động nguồn lực")


def test_summary_stops_at_the_next_listed_reference() -> None:
    refs = extract_references(
        "Căn cứ Thông tư số 28/2020/TT-BGDĐT ngày 04/9/2020 của Bộ trưởng Bộ GDĐT ban hành "
        "Điều lệ trường tiểu học, Thông tư số 27/2020/TT-BGDĐT ngày 04/9/2020 về đánh giá học "
        "sinh tiểu học và Thông tư số 32/2020/TT-BGDĐT\nCăn cứ tình hình thực tế"
    )
    assert [r.summary for r in refs] == [
        "ban hành Điều lệ trường tiểu học",
        "đánh giá học sinh tiểu học",
        None,
    ]


def test_named_laws() -> None:
    refs = extract_references(
        "Căn cứ Luật Thi đua, khen thưởng 2022; Luật Giáo dục ngày 14 tháng 6 năm 2019; "
        "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính "
        "quyền địa phương ngày 22/11/2019; Luật Tổ chức chính quyền địa phương số 72/2025/QH15;"
    )
    assert [(r.ref, r.type, r.year, r.date) for r in refs] == [
        ("Luật Thi đua, khen thưởng", "Luật", 2022, None),
        ("Luật Giáo dục", "Luật", 2019, dt.date(2019, 6, 14)),
        (
            "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính "
            "quyền địa phương",
            "Luật",
            2019,
            dt.date(2019, 11, 22),
        ),
        ("72/2025/QH15", "Luật", 2025, None),
    ]
    assert refs[3].name == "Luật Tổ chức chính quyền địa phương"
    assert refs[0].name == "Luật Thi đua, khen thưởng"


def test_number_only_citations() -> None:
    r = one(
        "Căn cứ Kế hoạch số 133 ngày 20/9/2019 của Hội đồng trường về việc xây dựng chiến lược;"
    )
    assert (r.ref, r.type, r.date, r.issuer) == (
        "133",
        "Kế hoạch",
        dt.date(2019, 9, 20),
        "Hội đồng trường",
    )
    assert one("theo Thông tư số 29/2024 ngày 30 tháng 12 năm 2024").ref == "29/2024"
    # aliases and bare mentions are not citations
    assert extract_references("(gọi tắt là Thông tư số 17); Nghị quyết 29 của Ban Chấp hành") == []


@pytest.mark.parametrize(
    "text",
    [
        "Ngày 23/8/2023, ngày 23 tháng 8 năm 2023 và 05-9-2023, lúc 7 giờ 30, 14:30.",
        "Điện thoại 0912 345 678, 024.3869.2345; fax (028) 3930 3279.",
        "Tỷ lệ 83,2%/50% tổng số xã; 45.799/36.875 tỷ đồng; 8.793/6.500 đảng viên.",
        "Học phí 1.430.000 đồng/sinh viên/tháng, tối đa 7,5%/năm; 2 buổi/ngày.",
        "Điều 5, khoản 2, điểm a; Điều 1 của Thông tư này; Quyết định này có hiệu lực.",
        "Lớp 6/A1, lớp 10/A; tỉ số 3/4; 24/7; năm học 2023-2024; Covid – 19.",
        "Mã số: V.07.05.13; V.07.04.32",
        "Nơi nhận: - Bộ trưởng (để b/c); - Các Thứ trưởng (để ph/cđ); - Lưu: VT, CNTT(5b).",
        "https://docs.google.com/document/d/1iNZhnw4aoOOPBX-ah_Mu5Y4U-RhUHHR6/edit?usp=sharing",
        "Căn cứ Điều lệ Đảng; Nghị quyết Đại hội X của Đảng; Kế hoạch 5 năm; Chương trình 135.",
        "Luật sư Nguyễn Văn A; Luật này quy định; luật giáo dục.",
        "1234567890 / 2023 - 12 / 8 số 5 số 7",
    ],
)
def test_no_false_references(text: str) -> None:
    assert extract_references(text) == []


def test_to_json() -> None:
    data = extract_references(LANG_SON)[0].to_json()
    assert data["ref"] == "2457/QĐ-BGDĐT"
    assert data["date"] == "2023-08-23"
    assert {"ref", "type", "date", "issuer", "summary", "start", "end"} <= set(data)
    json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("2457/QD-BGD&ĐT", "2457/QĐ-BGDĐT"),
        ("2457 / QĐ - BGDĐT", "2457/QĐ-BGDĐT"),
        ("2457/QÐ-BGD-ÐT", "2457/QĐ-BGDĐT"),
        ("01/2024/tt-BGDĐT", "01/2024/TT-BGDĐT"),
        ("30/2020/ND-CP", "30/2020/NĐ-CP"),
        ("63 - NQ / TU", "63-NQ/TU"),
        ("5155/BGDDT-GDĐH", "5155/BGDĐT-GDĐH"),
        ("167/SGD&ĐT-VP", "167/SGDĐT-VP"),
        ("không phải ký hiệu", "khôngphảikýhiệu"),
    ],
)
def test_normalise_symbol(written: str, canonical: str) -> None:
    assert normalise_symbol(written) == canonical
    assert symbol_key(written) == symbol_key(canonical)


def test_empty() -> None:
    assert extract_references("") == []


def test_corpus_files_are_consistent() -> None:
    root = Path(__file__).parent / "corpus"
    ids: set[str] = set()
    for split in ("dev", "heldout"):
        for line in (root / split / "expected.jsonl").read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            assert entry["id"] not in ids
            ids.add(entry["id"])
            assert entry["source"].startswith("http")
            assert (root / split / "passages" / f"{entry['id']}.txt").is_file()
            for ref in entry["refs"]:
                assert set(ref) == {"ref", "type", "date", "issuer", "summary"}
    assert len(ids) >= 60


def test_ocr_line_break_before_a_dash_and_a_code_ending_in_lower_case() -> None:
    # Found by the property test: "TTg" (Thủ tướng) ends in a lower-case letter.
    refs = extract_references(" Căn cứ Thông tư liên tịch số 1 / 1995 / TTLT\n- TTg; ")
    assert [r.ref for r in refs] == ["1/1995/TTLT-TTg"]
    # A bullet after the line break is still not read as the issuer.
    bullet = extract_references("Căn cứ Quyết định số 12/QĐ\n- Loại văn bản khác")
    assert [r.ref for r in bullet] == ["12/QĐ"]
    listed = extract_references("Căn cứ Công văn số 7/BGDĐT-GDĐH\n- Lưu VT")
    assert [r.ref for r in listed] == ["7/BGDĐT-GDĐH"]
