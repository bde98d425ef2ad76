from django.urls import path

from conferences.views import hall, opinions, outcomes, votes

app_name = "conferences"

urlpatterns = [
    path("", hall.conference_list, name="list"),
    path("new/", hall.conference_form, name="create"),
    path("<int:pk>/", hall.conference_detail, name="detail"),
    path("<int:pk>/edit/", hall.conference_form, name="edit"),
    path("<int:pk>/status/", hall.conference_status, name="status"),
    path("<int:pk>/chairs/new/", hall.chair_add, name="chair_add"),
    path("<int:pk>/groups/new/", hall.group_add, name="group_add"),
    path("<int:pk>/agenda/new/", hall.agenda_form, name="agenda_add"),
    path("agenda/<int:item_pk>/edit/", hall.agenda_form, name="agenda_edit"),
    path("<int:pk>/attendance/", hall.attendance, name="attendance"),
    path("invitations/<int:pk>/mark/", hall.mark, name="mark"),
    path("<int:pk>/quorum/", hall.quorum_box, name="quorum"),
    path("<int:pk>/opinions/", opinions.opinion_list, name="opinions"),
    path("<int:pk>/opinions/new/", opinions.opinion_submit, name="opinion_submit"),
    path("<int:pk>/opinions/number/", opinions.opinion_number, name="opinion_number"),
    path("opinions/<int:pk>/answer/", opinions.opinion_answer, name="opinion_answer"),
    path("opinions/<int:pk>/merge/", opinions.opinion_merge, name="opinion_merge"),
    path("opinions/<int:pk>/unmerge/", opinions.opinion_unmerge, name="opinion_unmerge"),
    path("<int:pk>/votes/", votes.vote_list, name="votes"),
    path("<int:pk>/votes/new/", votes.vote_add, name="vote_add"),
    path("votes/<int:pk>/open/", votes.vote_open, name="vote_open"),
    path("votes/<int:pk>/hands/", votes.vote_hands, name="vote_hands"),
    path("votes/<int:pk>/close/", votes.vote_close, name="vote_close"),
    path("votes/<int:pk>/ballot/", votes.ballot, name="ballot"),
    path("<int:pk>/outcomes/", outcomes.outcomes, name="outcomes"),
    path("<int:pk>/conclusions/new/", outcomes.conclusion_add, name="conclusion_add"),
    path("conclusions/<int:pk>/task/", outcomes.conclusion_task, name="conclusion_task"),
    path("<int:pk>/launch/", outcomes.launch_form, name="launch"),
    path("<int:pk>/pledges/new/", outcomes.pledge_add, name="pledge_add"),
    path("<int:pk>/photos/", outcomes.photos, name="photos"),
    path("photos/<int:pk>/", outcomes.photo_file, name="photo_file"),
    path("<int:pk>/papers/<str:kind>/", outcomes.paper, name="paper"),
    path("<int:pk>/article/", outcomes.article, name="article"),
    path("<int:pk>/article/regenerate/", outcomes.article_regenerate, name="article_regenerate"),
    path("<int:pk>/article/publish/", outcomes.article_publish, name="article_publish"),
    path("<str:kind>/<int:pk>/archive/", hall.archive, name="archive"),
]
