"""A person who meets an error (403, 404, 500, a form refused by the CSRF check) reads what
happened in Vietnamese and finds a way back, in production settings (DEBUG off)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from conftest import World

pytestmark = pytest.mark.django_db

PRODUCTION = {"DEBUG": False, "ROOT_URLCONF": "trongtam.tests.error_urls"}


def page(response: Any) -> str:
    return response.content.decode()


@override_settings(**PRODUCTION)
def test_unknown_address_is_a_vietnamese_404_with_a_way_back(world: World) -> None:
    response = world.client("staff").get("/no-such-page/")
    assert response.status_code == 404
    html = page(response)
    assert "Không tìm thấy trang bạn cần" in html
    assert f'href="{reverse("home")}"' in html and "Về trang chủ" in html
    assert 'lang="vi"' in html
    assert "Not Found" not in html


@override_settings(**PRODUCTION)
def test_another_schools_task_is_the_same_404(world: World) -> None:
    response = world.client("outsider").get(reverse("planning:task_detail", args=[world.task.pk]))
    assert response.status_code == 404
    assert "Không tìm thấy trang bạn cần" in page(response)


@override_settings(**PRODUCTION)
def test_refused_action_is_a_vietnamese_403_without_the_raw_reason(world: World) -> None:
    response = world.client("staff").get("/test-errors/refuses/")
    assert response.status_code == 403
    html = page(response)
    assert "Bạn không có quyền làm việc này" in html
    assert "Về trang chủ" in html
    assert "English text" not in html
    assert "403 Forbidden" not in html


@override_settings(**PRODUCTION)
def test_a_member_without_the_right_gets_the_403_page(world: World) -> None:
    response = world.client("staff").get(reverse("planning:task_edit", args=[world.task.pk]))
    assert response.status_code == 403
    assert "Bạn không có quyền làm việc này" in page(response)


@override_settings(**PRODUCTION)
def test_a_server_error_is_a_vietnamese_500_page(world: World) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.users["staff"])
    response = client.get("/test-errors/fails/")
    assert response.status_code == 500
    html = page(response)
    assert "Hệ thống gặp sự cố" in html
    assert "không phải do bạn" in html
    assert 'href="/"' in html
    assert "Server Error" not in html and "RuntimeError" not in html


@override_settings(**PRODUCTION)
def test_a_form_refused_by_the_csrf_check_says_what_to_do(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["staff"])
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    html = page(response)
    assert "Biểu mẫu chưa được gửi đi" in html
    assert "Tải lại trang (F5)" in html
    assert "Về trang chủ" in html and "Đăng nhập lại" in html
    assert "CSRF verification failed" not in html


@override_settings(**PRODUCTION)
def test_the_login_page_refused_by_the_csrf_check_for_an_anonymous_visitor(db: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Biểu mẫu chưa được gửi đi" in page(response)
