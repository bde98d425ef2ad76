"""Placeholders every paper offers to a school's own .docx template (documented in docs/PAPERS.md).

A kind's `context(obj)` returns these common keys (from the paper's built-in layout) and its own
keys; values are strings, lists of strings, or lists of dicts of strings.
"""

from __future__ import annotations

from typing import Any

from core.text import paper_date
from papers.layout import Heading, Paper, Para, Table

COMMON: dict[str, str] = {
    "co_quan_chu_quan": "Tên cơ quan, tổ chức chủ quản (dòng trên cùng bên trái), ví dụ “UBND tỉnh Lạng Sơn”",
    "co_quan_ban_hanh": "Tên cơ quan, tổ chức ban hành văn bản (in hoa, đậm), ví dụ “Trường Cao đẳng Sư phạm Lạng Sơn”",
    "so_ky_hieu": "Dòng số, ký hiệu, ví dụ “Số: 01/KH-CĐSPLS” (để trống số khi chưa lấy số)",
    "dia_danh_ngay": "Địa danh và ngày tháng, ví dụ “Lạng Sơn, ngày 26 tháng 9 năm 2023”",
    "ten_loai": "Tên loại văn bản, ví dụ “Kế hoạch”, “Biên bản”, “Nghị quyết”",
    "trich_yeu": "Trích yếu nội dung (dòng dưới tên loại)",
    "quyen_han_ky": "Quyền hạn ký, ví dụ “KT. HIỆU TRƯỞNG”, “TM. ĐOÀN CHỦ TỊCH” (có thể trống)",
    "chuc_vu_ky": "Chức vụ người ký, ví dụ “PHÓ HIỆU TRƯỞNG”",
    "nguoi_ky": "Họ và tên người ký",
    "noi_nhan": "Danh sách nơi nhận, mỗi phần tử một dòng; lặp bằng ba đoạn riêng: "
    "“{%p for n in noi_nhan %}”, “- {{ n }}”, “{%p endfor %}”",
    "noi_dung": "Toàn bộ phần nội dung như bản dựng sẵn, mỗi phần tử một đoạn (chuỗi); bảng được "
    "ghi thành các dòng nối bằng “ | ”",
}


def body_lines(paper: Paper) -> list[str]:
    """The body of the built-in paper, then its attached lists, as plain paragraphs (tables
    flattened row by row)."""
    lines: list[str] = []
    for block in [*paper.blocks, *paper.annex]:
        if isinstance(block, Heading):
            lines.append(block.text)
        elif isinstance(block, Para):
            lines.append(f"{block.lead}{block.text}")
        elif isinstance(block, Table):
            lines.append(" | ".join(block.header))
            lines.extend(" | ".join(row) for row in block.rows)
    return lines


def common_context(paper: Paper) -> dict[str, Any]:
    """The common placeholders, read from the built-in paper so both outputs say the same."""
    if paper.signatures:
        last = paper.signatures[-1]
        mark, title, name = last.mark, last.title, last.name
    else:
        mark, title, name = paper.signing_mark, paper.signer_title, paper.signer_name
    return {
        "co_quan_chu_quan": paper.parent_body,
        "co_quan_ban_hanh": paper.issuing_body,
        "so_ky_hieu": paper.number_line,
        "dia_danh_ngay": paper.date_line
        or (paper_date(paper.date, paper.place) if paper.date else ""),
        "ten_loai": paper.type_name,
        "trich_yeu": paper.summary,
        "quyen_han_ky": mark,
        "chuc_vu_ky": title,
        "nguoi_ky": name,
        "noi_nhan": list(paper.recipients),
        "noi_dung": body_lines(paper),
    }
