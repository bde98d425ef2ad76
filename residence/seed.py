"""The regulations on students' residence, as dated data with their source (loaded by a data
migration, and again by the demo and the tests after a flush). Checked against the published
texts in 12/2026; a school applies them as its own rules say."""

from __future__ import annotations

import datetime as dt
from typing import Any

REFERENCES: list[dict[str, Any]] = [
    {
        "key": "dormitory",
        "number": "27/2011/TT-BGDĐT",
        "title": "Quy chế công tác học sinh, sinh viên nội trú tại các cơ sở giáo dục thuộc hệ "
        "thống giáo dục quốc dân",
        "issued_on": dt.date(2011, 6, 27),
        "valid_from": dt.date(2011, 8, 10),
        "summary": "Nội trú: xếp chỗ ở theo thứ tự ưu tiên (đối tượng chính sách; người dân tộc "
        "thiểu số ở vùng sâu, vùng xa; sinh viên năm thứ nhất), phòng ở theo giới tính, nhà "
        "trường kiểm tra phòng ở và ghi nhận việc chấp hành nội quy.",
        "source": "https://hieuluat.vn/giao-duc/thong-tu-27-2011-tt-bgddt-bo-giao-duc-va-dao-"
        "tao-f513.html",
    },
    {
        "key": "off_campus",
        "number": "27/2009/TT-BGDĐT",
        "title": "Quy chế ngoại trú của học sinh, sinh viên các trường đại học, cao đẳng, trung "
        "cấp chuyên nghiệp hệ chính quy",
        "issued_on": dt.date(2009, 10, 19),
        "valid_from": dt.date(2009, 12, 3),
        "summary": "Ngoại trú: người học báo địa chỉ nơi ở với nhà trường mỗi học kỳ; nhà trường "
        "lập danh sách theo phường/xã, phối hợp với công an và chính quyền địa phương, định kỳ "
        "đến thăm nơi ở của người học.",
        "source": "http://utt.edu.vn/utt/sinh-vien/noi-quy-quy-che/quy-che-ngoai-tru-hssv-cac-"
        "truong-dhcdtccn-he-chinh-quy-a1367.html",
    },
    {
        "key": "temporary_residence",
        "number": "68/2020/QH14",
        "title": "Luật Cư trú",
        "issued_on": dt.date(2020, 11, 13),
        "valid_from": dt.date(2021, 7, 1),
        "summary": "Điều 27: đăng ký tạm trú khi ở ngoài nơi thường trú từ 30 ngày trở lên.",
        "source": "https://vanban.chinhphu.vn/?pageid=27160&docid=201937",
    },
]


def sync_references(model: Any) -> None:
    """Create the national references that are missing (keyed by key and start date)."""
    for entry in REFERENCES:
        model.objects.get_or_create(
            school=None,
            key=entry["key"],
            valid_from=entry["valid_from"],
            defaults={k: v for k, v in entry.items() if k not in ("key", "valid_from")},
        )
