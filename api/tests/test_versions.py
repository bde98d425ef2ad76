"""Objects that edit forms guard with a version (core.versioning) show it in the API, so a future
edit endpoint can take it back; it moves with every save."""

from __future__ import annotations

from django.test import Client

from api.services import create_token
from conftest import World
from planning import services


def test_plans_targets_and_tasks_show_their_current_version(world: World) -> None:
    by = world.users["leadership"]
    world.target.name = "Tỷ lệ tuyển sinh đạt kế hoạch"
    services.save_plan_object(world.target, by=by, expected_version=world.target.version)
    world.plan.theme = "Chuyển đổi số"
    services.save_plan_object(world.plan, by=by)
    _token, secret = create_token(world.users["staff"], name="máy chủ báo cáo")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    plans = client.get("/api/plans").json()
    plan = client.get(f"/api/plans/{world.plan.pk}").json()
    target = client.get(f"/api/targets/{world.target.pk}").json()
    task = client.get(f"/api/tasks/{world.task.pk}").json()

    assert [p["version"] for p in plans] == [world.plan.version]
    assert plan["version"] == world.plan.version > 1
    assert target["version"] == world.target.version > 1
    assert task["version"] == world.task.version


def test_documents_show_their_current_version(world: World) -> None:
    world.document.summary = "Hướng dẫn nhiệm vụ năm học"
    world.document.save()
    world.document.refresh_from_db()
    _token, secret = create_token(world.users["staff"], name="máy chủ báo cáo")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    listed = client.get("/api/documents").json()
    listed = listed["items"] if isinstance(listed, dict) else listed
    detail = client.get(f"/api/documents/{world.document.pk}").json()
    assert detail["version"] == world.document.version > 1
    assert [d["version"] for d in listed if d["id"] == world.document.pk] == [detail["version"]]
