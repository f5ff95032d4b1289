from django.contrib.auth import views as auth_views
from django.urls import include, path

from planboard.lib import converters  # noqa: F401 - registers the "ref" converter
from planboard.web import (
    action_edit_views,
    email_views,
    import_history,
    import_views,
    paper_views,
    people_edit_views,
    period_views,
    plan_edit_views,
    plan_exports,
    reminder_views,
    review_views,
    scale_views,
    update_views,
    views,
)
from planboard.web.forms import SignInForm

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("strategies/<slug:slug>/", views.plan, name="plan"),
    path("strategies/<slug:slug>/plan.csv", plan_exports.plan_csv, name="plan_csv"),
    path("strategies/<slug:slug>/plan.xlsx", plan_exports.plan_xlsx, name="plan_xlsx"),
    path("strategies/<slug:slug>/actions/<ref:ref>/", views.action_detail, name="action"),
    path(
        "strategies/<slug:slug>/actions/<ref:ref>/leads/",
        people_edit_views.action_leads,
        name="action_leads",
    ),
    path("strategies/<slug:slug>/commitments/", views.commitments, name="commitments"),
    path("strategies/<slug:slug>/themes/add/", plan_edit_views.add_theme, name="add_theme"),
    path(
        "strategies/<slug:slug>/themes/<int:number>/change/",
        plan_edit_views.edit_theme,
        name="edit_theme",
    ),
    path(
        "strategies/<slug:slug>/themes/<int:number>/commitments/add/",
        plan_edit_views.add_commitment,
        name="add_commitment",
    ),
    path(
        "strategies/<slug:slug>/commitments/<ref:ref>/change/",
        plan_edit_views.edit_commitment,
        name="edit_commitment",
    ),
    path("strategies/<slug:slug>/areas/add/", plan_edit_views.add_area, name="add_area"),
    path(
        "strategies/<slug:slug>/areas/<int:pk>/change/",
        plan_edit_views.edit_area,
        name="edit_area",
    ),
    path("strategies/<slug:slug>/actions/add/", action_edit_views.add_action, name="add_action"),
    path(
        "strategies/<slug:slug>/actions/<ref:ref>/change/",
        action_edit_views.edit_action,
        name="edit_action",
    ),
    path(
        "strategies/<slug:slug>/actions/<ref:ref>/retire/",
        action_edit_views.retire_action,
        name="retire_action",
    ),
    path(
        "strategies/<slug:slug>/actions/<ref:ref>/restore/",
        action_edit_views.restore_action,
        name="restore_action",
    ),
    path("strategies/<slug:slug>/people/", views.people, name="people"),
    path("strategies/<slug:slug>/people/roles/new/", people_edit_views.add_role, name="add_role"),
    path(
        "strategies/<slug:slug>/people/roles/<int:pk>/",
        people_edit_views.edit_role,
        name="edit_role",
    ),
    path(
        "strategies/<slug:slug>/people/roles/<int:pk>/merge/",
        people_edit_views.merge_role,
        name="merge_role",
    ),
    path("strategies/<slug:slug>/people/new/", people_edit_views.add_person, name="add_person"),
    path(
        "strategies/<slug:slug>/people/<int:pk>/",
        people_edit_views.edit_person,
        name="edit_person",
    ),
    path(
        "strategies/<slug:slug>/people/<int:pk>/split/",
        people_edit_views.split_person,
        name="split_person",
    ),
    path("strategies/<slug:slug>/scale/", scale_views.rag_scale, name="rag_scale"),
    path("strategies/<slug:slug>/scale/new/", scale_views.add_rag_level, name="add_rag_level"),
    path(
        "strategies/<slug:slug>/scale/<int:pk>/",
        scale_views.edit_rag_level,
        name="edit_rag_level",
    ),
    path(
        "strategies/<slug:slug>/scale/<int:pk>/delete/",
        scale_views.delete_rag_level,
        name="delete_rag_level",
    ),
    path("strategies/<slug:slug>/findings/", views.findings, name="findings"),
    path("my-actions/", update_views.my_actions, name="my_actions"),
    path("my-emails/", email_views.my_emails, name="my_emails"),
    # Each person's API tokens: a page of the API's app, which owns the tokens.
    path("", include("planboard.api.page_urls")),
    path("emails/failed/", email_views.failed_emails, name="failed_emails"),
    path("emails/<int:pk>/send-again/", email_views.send_email_again, name="send_email_again"),
    path(
        "strategies/<slug:slug>/actions/<ref:ref>/update/",
        update_views.update_action,
        name="update_action",
    ),
    path("strategies/<slug:slug>/periods/", period_views.periods, name="periods"),
    path(
        "strategies/<slug:slug>/periods/open/",
        period_views.open_next_period,
        name="open_period",
    ),
    path(
        "strategies/<slug:slug>/periods/<slug:period>/",
        period_views.period_detail,
        name="period",
    ),
    path(
        "strategies/<slug:slug>/periods/<slug:period>/send-reminders/",
        reminder_views.send_now,
        name="send_reminders",
    ),
    path(
        "strategies/<slug:slug>/reminders/",
        reminder_views.reminder_schedule,
        name="reminder_schedule",
    ),
    path(
        "strategies/<slug:slug>/periods/<slug:period>/close/",
        period_views.close,
        name="close_period",
    ),
    path(
        "strategies/<slug:slug>/periods/<slug:period>/review/",
        review_views.review,
        name="review",
    ),
    path("strategies/<slug:slug>/papers/", paper_views.papers, name="papers"),
    path("strategies/<slug:slug>/papers/<slug:period>/", paper_views.paper, name="paper"),
    path(
        "strategies/<slug:slug>/papers/<slug:period>/cover/",
        paper_views.cover,
        name="paper_cover",
    ),
    path(
        "strategies/<slug:slug>/papers/<slug:period>/generate/",
        paper_views.generate,
        name="paper_generate",
    ),
    path(
        "strategies/<slug:slug>/papers/<slug:period>/generate-all/",
        paper_views.generate_all,
        name="paper_generate_all",
    ),
    path(
        "strategies/<slug:slug>/papers/<slug:period>/files.json",
        paper_views.files_status,
        name="paper_files_status",
    ),
    path(
        "strategies/<slug:slug>/papers/<slug:period>/chart.svg",
        paper_views.chart,
        name="paper_chart",
    ),
    path("strategies/<slug:slug>/import/", import_views.upload, name="import"),
    path(
        "strategies/<slug:slug>/import/<int:pk>/",
        import_views.preview_page,
        name="import_preview",
    ),
    path(
        "strategies/<slug:slug>/import/jobs/<int:pk>/",
        import_views.job_page,
        name="import_job",
    ),
    path(
        "strategies/<slug:slug>/import/<int:pk>/confirm/",
        import_views.confirm,
        name="import_confirm",
    ),
    path(
        "strategies/<slug:slug>/import/<int:pk>/destination/",
        import_views.destination,
        name="import_destination",
    ),
    path("strategies/<slug:slug>/imports/", import_history.imports, name="imports"),
    path(
        "strategies/<slug:slug>/imports/<int:pk>/undo/",
        import_history.undo,
        name="import_undo",
    ),
    path(
        "strategies/<slug:slug>/import/<int:pk>/discard/",
        import_views.discard,
        name="import_discard",
    ),
    path("strategies/<slug:slug>/files/<int:pk>/", paper_views.download, name="paper_download"),
]
