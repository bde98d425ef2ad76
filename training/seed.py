"""The national steps for opening a programme, as dated data with their source (loaded by a data
migration, and again by the demo and the tests after a flush).

What could be checked (12/2026): Thông tư 02/2022/TT-BGDĐT (18/01/2022, in force 04/03/2022),
amended by Thông tư 12/2024/TT-BGDĐT (10/10/2024, in force 05/01/2025; consolidated as
07/VBHN-BGDĐT of 09/12/2024), sets the conditions and procedure for opening a programme at
university, master's and doctoral level; the administrative procedure 1.010900 (QĐ 1134/QĐ-BGDĐT)
has the school send its dossier to the Ministry, which appraises it (with an on-site check if
needed) and decides. The dossier's contents (request, the school council's resolution, the
proposal, the appraisal of the programme, the check of the actual conditions) follow the earlier
TT 22/2017/TT-BGDĐT as published summaries quote it. Which text governs a teacher-training college
opening a college-level programme could not be confirmed: a school adopts and adjusts its own
steps (StepTemplate with its `school`), which then replace these.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

TT02 = "TT 02/2022/TT-BGDĐT, sửa đổi bởi TT 12/2024/TT-BGDĐT (trình độ đại học)"
TT02_URL = (
    "https://thuvienphapluat.vn/van-ban/Giao-duc/Van-ban-hop-nhat-07-VBHN-BGDDT-2024-Thong-tu-"
    "dieu-kien-mo-nganh-dao-tao-tien-si-634909.aspx"
)
TTHC = "Thủ tục hành chính 1.010900 (QĐ 1134/QĐ-BGDĐT): mở ngành trình độ đại học"
TTHC_URL = (
    "https://hethongphapluat.com/mo-nganh-dao-tao-trinh-do-dai-hoc-trinh-do-thac-si-hoac-trinh-"
    "do-tien-si.html"
)
SCHOOL_STEP = "Bước chuẩn bị của nhà trường (không do văn bản quy định riêng)"
VALID_FROM = dt.date(2022, 3, 4)  # TT 02/2022 in force; TT 12/2024 amended it from 05/01/2025

STEPS: list[dict[str, Any]] = [
    {
        "order": 1,
        "title": "Khảo sát nhu cầu nhân lực, tự đánh giá điều kiện mở ngành",
        "responsible": "Khoa chủ trì, Phòng Đào tạo",
        "outputs": "Báo cáo khảo sát nhu cầu nhân lực; bảng tự đánh giá điều kiện mở ngành",
        "days": 60,
        "source": SCHOOL_STEP,
        "source_url": "",
    },
    {
        "order": 2,
        "title": "Xây dựng đề án mở ngành và chương trình đào tạo",
        "responsible": "Khoa chủ trì",
        "outputs": "Đề án mở ngành; chương trình đào tạo",
        "days": 90,
        "source": TT02,
        "source_url": TT02_URL,
    },
    {
        "order": 3,
        "title": "Thẩm định chương trình đào tạo và các điều kiện bảo đảm chất lượng",
        "responsible": "Hội đồng thẩm định do Hiệu trưởng thành lập",
        "outputs": "Quyết định thành lập hội đồng thẩm định; biên bản thẩm định",
        "days": 30,
        "source": TT02,
        "source_url": TT02_URL,
    },
    {
        "order": 4,
        "title": "Kiểm tra, xác nhận các điều kiện thực tế mở ngành",
        "responsible": "Hiệu trưởng chỉ đạo; Phòng Đào tạo",
        "outputs": "Biên bản kiểm tra điều kiện thực tế (đội ngũ, cơ sở vật chất, học liệu)",
        "days": 15,
        "source": TT02,
        "source_url": TT02_URL,
    },
    {
        "order": 5,
        "title": "Hội đồng trường thông qua việc mở ngành",
        "responsible": "Hội đồng trường",
        "outputs": "Nghị quyết của Hội đồng trường về việc mở ngành",
        "days": 15,
        "source": TT02,
        "source_url": TT02_URL,
    },
    {
        "order": 6,
        "title": "Gửi hồ sơ mở ngành đến cơ quan có thẩm quyền",
        "responsible": "Phòng Đào tạo",
        "outputs": "Tờ trình (công văn) đề nghị mở ngành kèm hồ sơ",
        "days": 10,
        "source": TTHC,
        "source_url": TTHC_URL,
    },
    {
        "order": 7,
        "title": "Cơ quan có thẩm quyền thẩm định hồ sơ, kiểm tra thực tế khi cần",
        "responsible": "Bộ Giáo dục và Đào tạo",
        "outputs": "Biên bản kiểm tra thực tế (nếu có); văn bản yêu cầu bổ sung (nếu có)",
        "days": 60,
        "source": TTHC,
        "source_url": TTHC_URL,
    },
    {
        "order": 8,
        "title": "Quyết định cho phép mở ngành",
        "responsible": "Bộ Giáo dục và Đào tạo, hoặc Hiệu trưởng khi được tự chủ mở ngành",
        "outputs": "Quyết định cho phép mở ngành đào tạo",
        "days": 15,
        "source": TTHC,
        "source_url": TTHC_URL,
    },
    {
        "order": 9,
        "title": "Công bố ngành mới, đưa vào đề án và kế hoạch tuyển sinh",
        "responsible": "Phòng Đào tạo",
        "outputs": "Thông báo tuyển sinh; cập nhật đề án tuyển sinh",
        "days": 30,
        "source": SCHOOL_STEP,
        "source_url": "",
    },
]


def sync_steps(model: Any) -> None:
    """Create the national steps that are missing (keyed by order and start date)."""
    for entry in STEPS:
        model.objects.get_or_create(
            school=None,
            order=entry["order"],
            valid_from=VALID_FROM,
            defaults={k: v for k, v in entry.items() if k != "order"},
        )
