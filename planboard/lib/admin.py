"""The admin's saves and deletes go through the owning app's services.

Django's admin writes a model itself (``save_model``, ``save_related``, inline formsets,
``delete_model``, the "delete selected" action, django-simple-history's revert). Each
admin of plan data names two services instead, and this mixin routes every one of
those writes through them, so the admin checks the same permission and writes the same
history as the pages and commands:

- ``save_service(instance, *, user, links)`` saves ``instance`` with its many-to-many
  ``links`` (field name to chosen objects);
- ``delete_service(instance, *, user)`` deletes it.
"""

from django import forms
from django.db import transaction

from planboard.lib.services import ServiceError


def _links(form, instance) -> dict:
    """The form's many-to-many choices, by field name."""
    cleaned = getattr(form, "cleaned_data", {})
    return {
        field.name: cleaned[field.name]
        for field in instance._meta.many_to_many
        if field.name in cleaned
    }


class ServiceAdminMixin:
    # Plain functions, read from the class (``type(self)``) so that Python does not bind
    # them to the admin as methods.
    save_service = None
    delete_service = None

    def save_model(self, request, obj, form, change):
        type(self).save_service(obj, user=request.user, links=_links(form, obj))

    def save_related(self, request, form, formsets, change):
        # The form's own links were saved with the record, by ``save_model``.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        changed = {id(obj) for obj in formset.save(commit=False)}
        for obj in formset.deleted_objects:
            type(self).delete_service(obj, user=request.user)
        for inline in formset.forms:
            if id(inline.instance) in changed:
                type(self).save_service(
                    inline.instance, user=request.user, links=_links(inline, inline.instance)
                )

    def delete_model(self, request, obj):
        type(self).delete_service(obj, user=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                type(self).delete_service(obj, user=request.user)


class CheckedForm(forms.ModelForm):
    """Asks the service's own check (``check``) of the record as it would be saved, so a
    refusal shows on its field instead of failing the save. Many-to-many choices are
    the service's to check as it saves them."""

    check = None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        proposed = self._meta.model(pk=self.instance.pk)
        links = {field.name for field in self._meta.model._meta.many_to_many}
        for name, value in cleaned.items():
            if name not in links:
                setattr(proposed, name, value)
        try:
            type(self).check(proposed)
        except ServiceError as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, str(error))
        return cleaned
