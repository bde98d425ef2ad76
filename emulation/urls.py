from django.urls import path

from emulation.views import (
    campaigns,
    council,
    decisions,
    evaluations,
    province_campaigns,
    records,
    registrations,
    results,
    upward,
)

app_name = "emulation"

urlpatterns = [
    path("", campaigns.home, name="home"),
    path("new/", campaigns.campaign_create, name="campaign_create"),
    path("<int:pk>/", campaigns.campaign_detail, name="campaign"),
    path("<int:pk>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path("<int:pk>/launch/", campaigns.campaign_launch, name="campaign_launch"),
    path("<int:pk>/council/", campaigns.council, name="council"),
    path("council/<int:pk>/remove/", campaigns.council_remove, name="council_remove"),
    # Registration
    path("<int:pk>/register/", registrations.register, name="register"),
    path("<int:pk>/register/withdraw/", registrations.withdraw, name="withdraw"),
    path(
        "<int:pk>/registrations.xlsx", registrations.registrations_xlsx, name="registrations_xlsx"
    ),
    path(
        "<int:pk>/units/<int:unit_pk>/registrations/",
        registrations.unit_registrations,
        name="unit_registrations",
    ),
    path(
        "<int:pk>/units/<int:unit_pk>/registrations.xlsx",
        registrations.unit_registrations_xlsx,
        name="unit_registrations_xlsx",
    ),
    path(
        "<int:pk>/units/<int:unit_pk>/register/",
        registrations.unit_register,
        name="unit_register",
    ),
    path("<int:pk>/units/<int:unit_pk>/submit/", registrations.unit_submit, name="unit_submit"),
    path("<int:pk>/units/<int:unit_pk>/reopen/", registrations.unit_reopen, name="unit_reopen"),
    path(
        "registrations/<int:pk>/return/",
        registrations.registration_return,
        name="registration_return",
    ),
    # Evaluation
    path("<int:pk>/evaluations/prepare/", evaluations.prepare, name="prepare"),
    path("<int:pk>/me/", evaluations.my_evaluation, name="my_evaluation"),
    path("evaluations/<int:pk>/", evaluations.evaluation_detail, name="evaluation"),
    path(
        "evaluations/<int:pk>/review/<slug:step>/",
        evaluations.evaluation_review,
        name="evaluation_review",
    ),
    path("evaluations/<int:pk>/facts/", evaluations.evaluation_facts, name="evaluation_facts"),
    path("<int:pk>/facts/", evaluations.facts_list, name="facts"),
    path("<int:pk>/units/<int:unit_pk>/review/", evaluations.unit_review, name="unit_review"),
    path(
        "<int:pk>/units/<int:unit_pk>/review/submit/",
        evaluations.unit_review_submit,
        name="unit_review_submit",
    ),
    path("<int:pk>/classification/", evaluations.classification_page, name="classification"),
    # The council's secret ballot
    path("<int:pk>/ballot/", council.council_vote, name="council_vote"),
    path("<int:pk>/ballot/prepare/", council.council_prepare, name="council_prepare"),
    path("<int:pk>/ballot/open/", council.council_open, name="council_open"),
    path("<int:pk>/ballot/cast/", council.council_cast, name="council_cast"),
    path("<int:pk>/ballot/count/", council.council_count, name="council_count"),
    path("<int:pk>/ballot/publish/", council.council_publish, name="council_publish"),
    # Published results and appeals
    path("<int:pk>/results/", results.results, name="results"),
    path("<int:pk>/appeal/", results.appeal_file, name="appeal_file"),
    path("appeals/<int:pk>/answer/", results.appeal_answer, name="appeal_answer"),
    # The decision and its papers
    path("<int:pk>/decision/", decisions.decision, name="decision"),
    path("<int:pk>/decision/issue/", decisions.decision_issue, name="decision_issue"),
    path("<int:pk>/decision/proposal/", decisions.proposal_issue, name="proposal_issue"),
    path("<int:pk>/decision.xlsx", decisions.decision_xlsx, name="decision_xlsx"),
    # Dossiers sent above the school, and the Sở's campaigns
    path("<int:pk>/dossier/new/", upward.dossier_submit, name="dossier_submit"),
    path("dossiers/", upward.dossier_list, name="dossiers"),
    path("dossiers.xlsx", upward.dossiers_xlsx, name="dossiers_xlsx"),
    path("dossiers/<int:pk>/", upward.dossier_detail, name="dossier"),
    path("dossiers/<int:pk>/resubmit/", upward.dossier_resubmit, name="dossier_resubmit"),
    path("dossiers/<int:pk>/accept/", upward.dossier_accept, name="dossier_accept"),
    path("dossiers/<int:pk>/return/", upward.dossier_return, name="dossier_return"),
    path("dossiers/<int:pk>/decide/", upward.dossier_decide, name="dossier_decide"),
    path("dossiers/<int:pk>/papers/<int:paper_pk>/", upward.dossier_paper, name="dossier_paper"),
    path("province/", province_campaigns.province_campaign_list, name="province_campaigns"),
    path(
        "province/new/",
        province_campaigns.province_campaign_create,
        name="province_campaign_create",
    ),
    path(
        "province/<int:pk>/",
        province_campaigns.province_campaign_detail,
        name="province_campaign",
    ),
    path(
        "province/<int:pk>/send/",
        province_campaigns.province_campaign_send,
        name="province_campaign_send",
    ),
    path(
        "province/<int:pk>/correct/",
        province_campaigns.province_campaign_correct,
        name="province_campaign_correct",
    ),
    path(
        "province/<int:pk>/withdraw/",
        province_campaigns.province_campaign_withdraw,
        name="province_campaign_withdraw",
    ),
    path(
        "province/<int:pk>/take-up/",
        province_campaigns.province_campaign_take_up,
        name="province_campaign_take_up",
    ),
    # Records
    path("initiatives/", records.initiatives, name="initiatives"),
    path("initiatives/new/", records.initiative_form, name="initiative_create"),
    path("initiatives/<int:pk>/edit/", records.initiative_form, name="initiative_edit"),
    path("initiatives/<int:pk>/archive/", records.initiative_archive, name="initiative_archive"),
    path("titles/", records.titles, name="titles"),
    path("titles/new/", records.title_form, name="title_create"),
    path("titles/<int:pk>/edit/", records.title_form, name="title_edit"),
    path("titles/<int:pk>/withdraw/", records.title_withdraw, name="title_withdraw"),
    path("titles/import/", records.titles_import, name="titles_import"),
    path("titles/sheet.xlsx", records.titles_sheet, name="titles_sheet"),
]
