"""The admin of engagement: activities and the rate card, kept through the services of
``services.py`` and ``register.py``. The private register (people, their involvement
and reward) is not in the admin: it is kept on its own pages, by its circle only
(``people.permissions.may_see_register``), whatever an account's admin rights."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from planboard.engagement import register, services
from planboard.engagement.models import Activity, RewardRate
from planboard.lib.admin import CheckedForm, ServiceAdminMixin


def _save_activity(activity, *, user, links):
    return services.save_activity(
        activity,
        user=user,
        services=links.get("services"),
        commitments=links.get("commitments"),
        actions=links.get("actions"),
        reason="Corrected in the admin" if activity.pk else "Added in the admin",
    )


def _save_rate(rate, *, user, links):
    return register.save_rate(rate, user=user)


class ActivityForm(CheckedForm):
    check = services.check_activity

    class Meta:
        model = Activity
        exclude = ["version", "public_outcome", "outcome_published_at"]


class RewardRateForm(CheckedForm):
    check = register.check_rate

    class Meta:
        model = RewardRate
        fields = ["strategy", "name", "unit", "block_hours", "amount", "valid_from"]


@admin.register(Activity)
class ActivityAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
    save_service = _save_activity
    delete_service = services.delete_activity
    form = ActivityForm
    list_display = ["title", "kind", "level", "starts_on", "ends_on", "strategy"]
    list_filter = ["strategy", "kind", "level"]
    search_fields = ["title", "ref"]
    readonly_fields = ["public_outcome", "outcome_published_at"]

    def has_delete_permission(self, request, obj=None):
        # An activity with people's involvement in the register is kept (the service refuses).
        if obj is not None and obj.involvements.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(RewardRate)
class RewardRateAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
    save_service = _save_rate
    delete_service = None
    form = RewardRateForm
    list_display = ["name", "unit", "amount", "valid_from", "strategy"]
    list_filter = ["strategy", "name"]

    def has_delete_permission(self, request, obj=None):
        # A rate is never deleted: rewards were priced from it, or may be.
        return False

    def has_change_permission(self, request, obj=None):
        # A line that priced a reward is never changed: a new line is added instead.
        if obj is not None and obj.involvements.exists():
            return False
        return super().has_change_permission(request, obj)
