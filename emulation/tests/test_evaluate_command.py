"""``evaluate_emulation``: the exchange format end to end, the rule set in force, bad input."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import subprocess
import sys
import unicodedata
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError

from emulation.engine import SchoolYear
from emulation.management.commands import evaluate_emulation
from emulation.models import RuleSet
from emulation.tests.cases import ISSUE_EXAMPLE

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def write(tmp_path: Path, data: Any, name: str = "input.json") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def evaluate_file(tmp_path: Path, data: Any) -> dict[str, Any]:
    out = tmp_path / "result.json"
    call_command(
        "evaluate_emulation", str(write(tmp_path, data)), "--out", str(out), stderr=StringIO()
    )
    return json.loads(out.read_text(encoding="utf-8"))


def school(
    year: str = "2023-2024", rules: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    """Unit K1, group GV: 10 people, P01–P04 proposed HTXS (ranked 3, 1, none, 2)."""
    people = [
        {"id": "P01", "unit": "K1", "group": "GV", "months_worked": 12, "proposed": "HTXS",
         "council_rank": 3, "initiative": "school"},
        {"id": "P02", "unit": "K1", "group": "GV", "months_worked": 12, "proposed": "HTXS",
         "council_rank": 1},
        {"id": "P03", "unit": "K1", "group": "GV", "months_worked": 12, "proposed": "HTXS"},
        {"id": "P04", "unit": "K1", "group": "GV", "months_worked": 12, "proposed": "HTXS",
         "council_rank": 2},
    ] + [
        {"id": f"P{n:02d}", "unit": "K1", "group": "GV", "months_worked": 12, "proposed": "HTT",
         "discipline": None, "council_rank": None, "initiative": None, "history": []}
        for n in range(5, 11)
    ]  # fmt: skip
    data: dict[str, Any] = {"year": year, "units": [{"id": "K1"}], "people": people, **extra}
    if rules is not None:
        data["rules"] = rules
    return data


def levels(result: dict[str, Any]) -> dict[str, str | None]:
    return {pid: person["level"] for pid, person in result["people"].items()}


def test_the_issues_example_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    err = StringIO()
    call_command(
        "evaluate_emulation", str(write(tmp_path, ISSUE_EXAMPLE)), "--out", str(out), stderr=err
    )
    text = out.read_text(encoding="utf-8")
    assert "LĐTT" in text and "\\u" not in text  # Vietnamese as is (ensure_ascii=False)
    result = json.loads(text)
    assert set(result) == {"people", "units"}
    assert result["people"]["P01"]["level"] == "HTT"
    assert result["people"]["P01"]["titles"] == ["LĐTT", "CSTĐCS"]
    assert set(result["people"]["P01"]) == {"level", "titles", "reasons"}
    assert all(isinstance(reason, str) and reason for reason in result["people"]["P01"]["reasons"])
    assert result["units"] == {
        "K1": {"title": "TTLĐXS", "reasons": result["units"]["K1"]["reasons"]}
    }
    assert "1 người (1 được xếp loại), 1 đơn vị" in err.getvalue()


def test_without_out_the_result_goes_to_stdout(tmp_path: Path) -> None:
    stdout = StringIO()
    call_command("evaluate_emulation", str(write(tmp_path, ISSUE_EXAMPLE)), stdout=stdout)
    assert json.loads(stdout.getvalue())["people"]["P01"]["titles"] == ["LĐTT", "CSTĐCS"]


def test_without_rules_the_values_come_from_the_national_set_in_force(tmp_path: Path) -> None:
    # 10 at HTT or HTXS → quota 2 under the seeded 20%.
    assert levels(evaluate_file(tmp_path, school()))["P04"] == "HTXS"
    assert levels(evaluate_file(tmp_path, school()))["P01"] == "HTT"
    # The 2024 set, edited in the database, now says 30%: quota 3 for 2023-2024 and 2024-2025…
    RuleSet.objects.filter(school__isnull=True, valid_from=dt.date(2024, 1, 1)).update(
        htxs_quota=Decimal("0.3")
    )
    assert levels(evaluate_file(tmp_path, school()))["P01"] == "HTXS"
    assert levels(evaluate_file(tmp_path, school("2024-2025")))["P01"] == "HTXS"
    # …but 2025-2026 is judged by the set from 01/7/2025 (still 20%).
    assert levels(evaluate_file(tmp_path, school("2025-2026")))["P01"] == "HTT"


def test_rules_in_the_input_replace_the_rule_sets_values_for_the_run(tmp_path: Path) -> None:
    result = evaluate_file(tmp_path, school(rules={"htxs_quota": 0.4}))
    assert levels(result)["P01"] == "HTXS" and levels(result)["P03"] == "HTXS"
    result = evaluate_file(
        tmp_path, school(rules={"min_months_classified": 12.5 - 0.5, "ldtt_min_months": 12})
    )
    assert levels(result)["P05"] == "HTT"
    data = school(rules={"min_months_classified": 12})
    data["people"][4]["months_worked"] = 11
    assert levels(evaluate_file(tmp_path, data))["P05"] is None
    # Only the named values change: the seeded one stays 20% (quota 2).
    assert RuleSet.in_force(SchoolYear(2023).end).htxs_quota == Decimal("0.2")  # type: ignore[union-attr]


def test_unknown_keys_are_ignored_and_optional_ones_may_be_left_out(tmp_path: Path) -> None:
    data = copy.deepcopy(ISSUE_EXAMPLE)
    data["school"] = "CĐSP Lạng Sơn"
    data["rules"]["unknown_rule"] = 3
    data["units"][0]["name"] = "Khoa Tự nhiên"
    data["people"][0]["full_name"] = "Nguyễn Văn A"
    data["people"].append({"id": "P02", "unit": "K1", "group": "GV", "months_worked": 12,
                           "proposed": "HT"})  # fmt: skip
    result = evaluate_file(tmp_path, data)
    assert levels(result) == {"P01": "HTT", "P02": "HT"}


def test_a_school_under_a_ministry_gets_cstd_cap_bo(tmp_path: Path) -> None:
    data = copy.deepcopy(ISSUE_EXAMPLE)
    data["under_ministry"] = True
    data["people"][0]["initiative"] = "national"
    data["people"][0]["history"] = [
        {"year": "2022-2023", "titles": ["LĐTT", "CSTĐCS"]},
        {"year": "2021-2022", "titles": ["LĐTT", "CSTĐCS"]},
    ]
    result = evaluate_file(tmp_path, data)
    assert result["people"]["P01"]["titles"] == ["LĐTT", "CSTĐCS", "CSTĐ cấp bộ"]
    del data["under_ministry"]
    result = evaluate_file(tmp_path, data)
    assert result["people"]["P01"]["titles"] == ["LĐTT", "CSTĐCS", "CSTĐ cấp tỉnh"]


def test_text_from_another_system_is_read_alike(tmp_path: Path) -> None:
    data = copy.deepcopy(ISSUE_EXAMPLE)
    data["people"][0]["discipline"] = unicodedata.normalize("NFD", "Khiển trách")
    data["people"][0]["history"][0]["titles"] = [unicodedata.normalize("NFD", "CSTĐCS")]
    result = evaluate_file(tmp_path, data)
    assert result["people"]["P01"]["level"] == "KHT"


BAD_INPUTS: list[tuple[str, Any, str]] = [
    ("not JSON", "{\"year\": ", "không phải JSON hợp lệ: dòng 1"),
    ("a list", [], "dữ liệu phải là một đối tượng JSON"),
    ("no year", {"units": [], "people": []}, "thiếu khóa bắt buộc \"year\""),
    ("bad year", {**ISSUE_EXAMPLE, "year": "2023-2025"}, "năm học '2023-2025' không đúng dạng"),
    ("year as number", {**ISSUE_EXAMPLE, "year": 2023}, "\"year\" phải là chuỗi"),
    ("no units", {"year": "2023-2024", "people": []}, "thiếu khóa bắt buộc \"units\""),
    ("units not a list", {**ISSUE_EXAMPLE, "units": {"id": "K1"}}, "\"units\" phải là danh sách"),
    ("duplicate unit", {**ISSUE_EXAMPLE, "units": [{"id": "K1"}, {"id": "K1"}]},
     "mã đơn vị \"K1\" lặp lại"),
    ("rules not an object", {**ISSUE_EXAMPLE, "rules": [0.2]}, "\"rules\" phải là đối tượng"),
    ("quota above 1", {**ISSUE_EXAMPLE, "rules": {"htxs_quota": 2}}, "\"htxs_quota\" phải từ 0 đến 1"),
    ("quota as text", {**ISSUE_EXAMPLE, "rules": {"htxs_quota": "20%"}},
     "\"htxs_quota\" phải là số (nhận được chuỗi)"),
    ("under_ministry as text", {**ISSUE_EXAMPLE, "under_ministry": "có"},
     "\"under_ministry\" phải là true hoặc false"),
]  # fmt: skip

PERSON_FAULTS: list[tuple[str, dict[str, Any], str]] = [
    ("no months", {"months_worked": None}, "\"months_worked\" phải là số (nhận được null)"),
    ("months as text", {"months_worked": "12"}, "\"months_worked\" phải là số (nhận được chuỗi)"),
    ("months over 12", {"months_worked": 13}, "\"months_worked\" phải từ 0 đến 12"),
    ("months as bool", {"months_worked": True}, "\"months_worked\" phải là số"),
    ("unknown discipline", {"discipline": "nhắc nhở"},
     "\"discipline\" không hợp lệ (\"nhắc nhở\"); chỉ nhận null hoặc một trong \"khiển trách\""),
    ("unknown proposed", {"proposed": "Xuất sắc"},
     "\"proposed\" không hợp lệ (\"Xuất sắc\"); chỉ nhận một trong \"HTXS\", \"HTT\""),
    ("null proposed", {"proposed": None}, "\"proposed\" không hợp lệ (null)"),
    ("unknown initiative", {"initiative": "district"},
     "\"initiative\" không hợp lệ (\"district\"); chỉ nhận null hoặc một trong \"school\""),
    ("rank as text", {"council_rank": "1"}, "\"council_rank\" phải là null hoặc số nguyên từ 1"),
    ("rank zero", {"council_rank": 0}, "\"council_rank\" phải là null hoặc số nguyên từ 1"),
    ("unknown unit", {"unit": "K9"}, "people[0] (P01): đơn vị \"K9\" không có trong \"units\""),
    ("empty group", {"group": "  "}, "\"group\" phải là chuỗi khác rỗng"),
    ("history not a list", {"history": {"2022-2023": []}}, "\"history\" phải là danh sách"),
    ("history this year", {"history": [{"year": "2023-2024", "titles": []}]},
     "năm 2023-2024 không trước năm xét 2023-2024"),
    ("history later", {"history": [{"year": "2024-2025", "titles": []}]},
     "năm 2024-2025 không trước năm xét"),
    ("history twice", {"history": [{"year": "2022-2023", "titles": []},
                                   {"year": "2022-2023", "titles": ["LĐTT"]}]},
     "năm 2022-2023 lặp lại trong lịch sử"),
    ("unknown title", {"history": [{"year": "2022-2023", "titles": ["Giấy khen"]}]},
     "danh hiệu \"Giấy khen\" không hợp lệ"),
    ("leave as text", {"leave_months": "3"}, "\"leave_months\" phải là số (nhận được chuỗi)"),
    ("leave negative", {"leave_months": -1}, "\"leave_months\" phải từ 0 đến"),
    ("leave over the year", {"months_worked": 10, "leave_months": 3},
     "\"leave_months\" phải từ 0 đến 2 (cộng với \"months_worked\" không quá 12; nhận được 3)"),
    ("maternity as text", {"maternity": "có"},
     "\"maternity\" phải là true, false hoặc null (nhận được 'có')"),
    ("maternity as number", {"maternity": 1}, "\"maternity\" phải là true, false hoặc null"),
]  # fmt: skip


def person_fault(change: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(ISSUE_EXAMPLE)
    data["people"][0].update(change)
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [pytest.param(data, message, id=name) for name, data, message in BAD_INPUTS]
    + [
        pytest.param(person_fault(change), message, id=name)
        for name, change, message in PERSON_FAULTS
    ]
    + [
        pytest.param(
            {**ISSUE_EXAMPLE, "people": ISSUE_EXAMPLE["people"] * 2},
            "people[1]: mã người \"P01\" lặp lại",
            id="duplicate person",
        ),
        pytest.param(
            {**ISSUE_EXAMPLE, "people": [{"unit": "K1"}]},
            "people[0]: thiếu khóa bắt buộc \"id\"",
            id="person without id",
        ),
        pytest.param(
            {**ISSUE_EXAMPLE, "people": [{k: v for k, v in ISSUE_EXAMPLE["people"][0].items()
                                          if k != "proposed"}]},
            "people[0] (P01): thiếu khóa bắt buộc \"proposed\"",
            id="person without proposed",
        ),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_vietnamese_message(
    tmp_path: Path, data: Any, message: str
) -> None:
    out = tmp_path / "result.json"
    with pytest.raises(CommandError) as caught:
        call_command("evaluate_emulation", str(write(tmp_path, data)), "--out", str(out))
    assert message in str(caught.value)
    assert not out.exists()


def test_files_that_cannot_be_read_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Không tìm thấy tệp dữ liệu"):
        call_command("evaluate_emulation", str(tmp_path / "missing.json"))
    with pytest.raises(CommandError, match="là thư mục"):
        call_command("evaluate_emulation", str(tmp_path))
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"year": "Năm"}'.encode("cp1258", errors="replace") + b"\xff")
    with pytest.raises(CommandError, match="không phải văn bản UTF-8"):
        call_command("evaluate_emulation", str(latin))
    huge = tmp_path / "huge.json"
    huge.write_text('{"year": ' + "9" * 5000 + "}", encoding="utf-8")  # past Python's int limit
    with pytest.raises(CommandError, match="không đọc được"):
        call_command("evaluate_emulation", str(huge))
    with pytest.raises(CommandError, match="Không ghi được tệp kết quả"):
        call_command(
            "evaluate_emulation",
            str(write(tmp_path, ISSUE_EXAMPLE)),
            "--out",
            str(tmp_path / "no-such-folder" / "result.json"),
        )


def test_a_year_without_a_rule_set_in_force_is_refused(tmp_path: Path) -> None:
    data = {**ISSUE_EXAMPLE, "year": "2022-2023", "people": []}
    with pytest.raises(CommandError, match=r"Chưa có bộ quy tắc thi đua .* ngày 31/05/2023"):
        call_command("evaluate_emulation", str(write(tmp_path, data)))


def test_without_a_database_the_shipped_national_sets_are_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unreachable(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("no such table: emulation_ruleset")

    monkeypatch.setattr(RuleSet, "in_force", unreachable)
    notices: list[str] = []
    rule_set = evaluate_emulation.national_rule_set(SchoolYear(2025), notices)
    assert rule_set.valid_from == dt.date(2025, 7, 1)
    assert "152/2025/NĐ-CP" in rule_set.source
    assert rule_set.as_rules().htxs_quota == Decimal("0.2")
    assert "dùng bộ quy tắc chung toàn quốc kèm theo mã nguồn" in notices[0]
    with pytest.raises(CommandError, match="31/05/2023"):
        evaluate_emulation.national_rule_set(SchoolYear(2022), [])


def _cli(tmp_path: Path, data: Any, *extra: str) -> subprocess.CompletedProcess[str]:
    """The real command line, whose database is unreachable (the command must not need it)."""
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", "test-only-secret-key-for-the-emulation-command-012345")
    env["DATABASE_URL"] = "postgres://nobody:nothing@127.0.0.1:1/none"
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "evaluate_emulation",
         str(write(tmp_path, data)), *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_the_command_line_exits_non_zero_with_the_message_and_no_traceback(
    tmp_path: Path,
) -> None:
    completed = _cli(tmp_path, person_fault({"discipline": "nhắc nhở"}))
    assert completed.returncode == 1
    assert '"discipline" không hợp lệ ("nhắc nhở")' in completed.stderr
    assert "Traceback" not in completed.stderr
    completed = _cli(tmp_path, "not json")
    assert completed.returncode == 1
    assert "không phải JSON hợp lệ" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_the_command_line_works_without_a_database(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    completed = _cli(tmp_path, ISSUE_EXAMPLE, "--out", str(out))
    assert completed.returncode == 0, completed.stderr
    assert "kèm theo mã nguồn" in completed.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["people"]["P01"]["titles"] == [
        "LĐTT",
        "CSTĐCS",
    ]
