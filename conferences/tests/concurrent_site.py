"""A site serving an open conference on the database named by DATABASE_URL (concurrency test).

Run as `python -m conferences.tests.concurrent_site N` with the project's own settings (as
`make run` has them). It migrates (a no-op on a copy of the migrated test database), creates a
school with N people summoned to a conference in session, prints one JSON line (the port, the
conference's id, a session key per person) and serves the project's WSGI application on that
port with one thread per request, as `manage.py runserver` does.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

import django


def main(count: int) -> None:
    django.setup()
    from django_scopes import scopes_disabled

    # Setting up the school is not a request: it runs with scopes disabled, as a command does
    # (the served requests get their scope from the middleware, each in its own thread).
    with scopes_disabled():
        conference_pk, sessions = _set_up(count)
    from django.core.servers import basehttp
    from django.core.wsgi import get_wsgi_application

    server = basehttp.ThreadedWSGIServer(("127.0.0.1", 0), basehttp.WSGIRequestHandler)
    server.set_app(get_wsgi_application())
    port = server.server_address[1]
    print(json.dumps({"port": port, "conference": conference_pk, "sessions": sessions}))
    sys.stdout.flush()
    server.serve_forever()


def _set_up(count: int) -> tuple[int, list[str]]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    from conferences import services
    from conferences.kinds import sync_conference_kinds
    from conferences.models import Conference, ConferenceKind
    from organisations.models import Organisation, Person, Position, Role

    call_command("migrate", verbosity=0, interactive=False)
    sync_conference_kinds(ConferenceKind)
    school = Organisation.objects.create(name="Trường Cao đẳng Mẫu", kind="school", code="cd-mau")
    office = Organisation.objects.create(name="Phòng Đào tạo", kind="office", parent=school)
    users = []
    clerk = None
    for index in range(count + 1):
        # No password to hash: the sessions are opened below, straight into the session table.
        user = get_user_model().objects.create_user(username=f"nguoi{index}")
        person = Person.objects.create(full_name=f"Nguyễn Văn {index}", school=school, user=user)
        role = Role.CLERK if index == 0 else Role.MEMBER
        Position.objects.create(person=person, organisation=office, title="Chuyên viên", role=role)
        if index == 0:
            clerk = person
        else:
            users.append(user)
    assert clerk is not None
    by = clerk.user
    conference = services.create_conference(
        Conference(
            school=school,
            kind=ConferenceKind.objects.get(code="hoi-nghi-vien-chuc"),
            title="Hội nghị viên chức",
            held_on=dt.date.today(),
            place="Hội trường A",
            secretary=clerk,
        ),
        by=by,
    )
    services.summon_group(
        conference,
        name="toàn thể viên chức",
        people=services.select_people(school.pk, whole_school=True),
        by=by,
    )
    services.set_status(conference, "in_session", by=by)
    sessions = []
    for user in users:
        client = Client()
        client.force_login(user, backend="core.permissions.AdminSiteModelBackend")
        sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    connections.close_all()
    return conference.pk, sessions


if __name__ == "__main__":
    main(int(sys.argv[1]))
