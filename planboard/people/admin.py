"""The admin of the key of roles and the people who hold them; saves and deletes go
through ``planboard.people.editing``, like the rest of the plan's records."""

from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from planboard.lib.admin import ServiceAdminMixin
from planboard.people import editing
from planboard.people.models import Person, Role


class KeyAdmin(ServiceAdminMixin, SimpleHistoryAdmin):
    save_service = editing.save_record
    delete_service = editing.delete_record
    exclude = ["version"]


@admin.register(Role)
class RoleAdmin(KeyAdmin):
    list_display = ["title", "abbreviation", "strategy", "in_key", "actions_led"]
    list_filter = ["strategy", "in_key"]
    search_fields = ["title", "abbreviation"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(action_count=Count("actions"))

    @admin.display(description="actions led", ordering="action_count")
    def actions_led(self, role):
        return role.action_count


@admin.register(Person)
class PersonAdmin(KeyAdmin):
    list_display = ["name", "strategy", "is_ebe_lead", "note", "user"]
    list_filter = ["strategy", "is_ebe_lead"]
    search_fields = ["name", "note", "email"]
    filter_horizontal = ["roles"]
    raw_id_fields = ["user"]
