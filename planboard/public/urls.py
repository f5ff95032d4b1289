"""The public pages under /public/, and governance's publishing pages under a strategy."""

from django.urls import path

from planboard.lib import converters  # noqa: F401 - registers the "ref" converter
from planboard.public import (
    editor_views,
    engagement_editor_views,
    engagement_views,
    views,
    you_said_we_did,
)

public_patterns = [
    path("", views.index, name="public_index"),
    path("accessibility/", views.accessibility, name="public_accessibility"),
    path("<slug:slug>/", views.strategy, name="public_strategy"),
    path("<slug:slug>.json", views.strategy_json, name="public_json"),
    path("<slug:slug>.csv", views.strategy_csv, name="public_csv"),
    path("<slug:slug>/you-said-we-did/", you_said_we_did.page, name="public_you_said_we_did"),
    path(
        "<slug:slug>/you-said-we-did.json",
        you_said_we_did.as_json,
        name="public_you_said_we_did_json",
    ),
    path(
        "<slug:slug>/you-said-we-did.csv",
        you_said_we_did.as_csv,
        name="public_you_said_we_did_csv",
    ),
    path("<slug:slug>/engagement/", engagement_views.page, name="public_engagement"),
    path("<slug:slug>/engagement.json", engagement_views.data, name="public_engagement_json"),
    path("<slug:slug>/engagement.csv", engagement_views.spreadsheet, name="public_engagement_csv"),
    path("<slug:slug>/other-formats/", views.other_formats, name="public_other_formats"),
    path(
        "<slug:slug>/other-formats/sent/",
        views.other_formats_sent,
        name="public_other_formats_sent",
    ),
]

publishing_patterns = [
    path("", editor_views.publishing_page, name="publishing"),
    path("strategy/", editor_views.edit_strategy, name="publish_strategy"),
    path("themes/<int:number>/", editor_views.edit_theme, name="publish_theme"),
    path(
        "themes/<int:number>/wording/",
        editor_views.publish_theme_wording,
        name="publish_theme_wording",
    ),
    path(
        "commitments/<int:pk>/publish/",
        editor_views.publish_commitment,
        name="publish_commitment",
    ),
    path("actions/<ref:ref>/", editor_views.edit_action, name="publish_action"),
    path("engagement/", engagement_editor_views.page, name="publish_engagement"),
    path(
        "engagement/introduction/",
        engagement_editor_views.edit_introduction,
        name="publish_engagement_introduction",
    ),
    path(
        "engagement/outcomes/<int:pk>/",
        engagement_editor_views.edit_outcome,
        name="publish_engagement_outcome",
    ),
    path(
        "engagement/outcomes/<int:pk>/withdraw/",
        engagement_editor_views.withdraw_outcome,
        name="withdraw_engagement_outcome",
    ),
    path("requests/", editor_views.requests_page, name="public_requests"),
    path("requests/<int:pk>/answered/", editor_views.answer_request, name="answer_request"),
]
