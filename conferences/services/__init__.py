"""Every change to a conference is a named, atomic action here (views, demo and tests call these)."""

from conferences.services.checkin import (
    check_in_self,
    check_token,
    checkin_token,
    conference_of_token,
)
from conferences.services.common import ConferenceError, archive_conference_object, save
from conferences.services.hall import (
    close_conference,
    create_conference,
    mark_attendance,
    mark_unmarked_present,
    select_people,
    set_status,
    summon_group,
)
from conferences.services.opinions import (
    NewTask,
    answer_opinion,
    merge_opinion,
    number_opinions,
    submit_opinion,
    unmerge_opinion,
)
from conferences.services.outcomes import (
    add_photo,
    conclusion_to_task,
    publish_article,
    record_conclusion,
    regenerate_article,
    save_article,
)
from conferences.services.votes import (
    AlreadyVoted,
    add_vote_item,
    cast_ballot,
    close_vote,
    has_voted,
    open_vote,
    record_show_of_hands,
)

__all__ = [
    "AlreadyVoted",
    "ConferenceError",
    "NewTask",
    "add_photo",
    "add_vote_item",
    "answer_opinion",
    "archive_conference_object",
    "cast_ballot",
    "check_in_self",
    "check_token",
    "checkin_token",
    "close_conference",
    "close_vote",
    "conclusion_to_task",
    "conference_of_token",
    "create_conference",
    "has_voted",
    "mark_attendance",
    "mark_unmarked_present",
    "merge_opinion",
    "number_opinions",
    "open_vote",
    "publish_article",
    "record_conclusion",
    "record_show_of_hands",
    "regenerate_article",
    "save",
    "save_article",
    "select_people",
    "set_status",
    "submit_opinion",
    "summon_group",
    "unmerge_opinion",
]
