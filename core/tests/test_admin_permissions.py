"""Django's model permissions serve the admin site only: a right the rules refuse costs a user
who is not staff no read of the permission tables, and a staff member keeps the model
permissions the admin site gives."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World

pytestmark = pytest.mark.django_db

PERMISSION_TABLES = ("auth_permission", "auth_user_user_permissions", "auth_user_groups")


def _permission_reads(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries if any(t in q["sql"] for t in PERMISSION_TABLES)]


def test_a_page_reads_no_permission_table_for_a_user_who_is_not_staff(world: World) -> None:
    client = world.client("unit_head")
    client.get(reverse("home"))  # warm what a first view fills
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert _permission_reads(queries) == []


def test_a_model_permission_given_to_someone_not_staff_grants_nothing(world: World) -> None:
    user = world.users["staff"]
    permission = Permission.objects.get(codename="change_document")
    user.user_permissions.add(permission)
    user = type(user).objects.get(pk=user.pk)  # no cached permissions
    # The rules refuse it (a plain member edits no document); the admin site's permission
    # does not reach the product.
    assert not user.has_perm("documents.change_document")


def test_a_staff_member_keeps_the_admin_site_s_permissions(world: World) -> None:
    user = world.users["staff"]
    user.is_staff = True
    user.save()
    group = Group.objects.create(name="Quản trị văn bản")
    group.permissions.add(Permission.objects.get(codename="view_documenttype"))
    user.groups.add(group)
    user = type(user).objects.get(pk=user.pk)
    assert user.has_perm("documents.view_documenttype")
    assert user.has_module_perms("documents")
    assert not user.has_perm("documents.delete_documenttype")
