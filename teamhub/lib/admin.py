"""The Django admin's bases: a back office that keeps the same rules as the pages.

Adds, changes and deletes go through the apps' services, acting as the staff user's
active membership in the object's organisation, so the admin can do nothing a person
with that role could not do in the product. History and derived rows are read-only:
they are written by the use cases that produce them.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse

from teamhub.lib.tenancy import active_membership

NO_MEMBERSHIP = (
    "You have no active membership in {org}, so you cannot change its data here. "
    "Ask one of its admins to invite you first."
)


class Refused(Exception):
    """A service said no while deleting; shown as an error message, nothing changed."""


def _add_service_errors(form, error: ValidationError) -> None:
    """Put a service's errors on the form's fields where it has them, else on top."""
    errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, texts in errors.items():
        form.add_error(field if field in form.fields else None, texts)


class ServiceAdmin(admin.ModelAdmin):
    """Saves through ``create`` / ``update`` / ``delete``, which call the services.

    The service runs while the form is validated (the admin wraps the whole view in
    one transaction), so its ValidationError lands on the form like any field error
    and nothing is saved; ``save_model`` then has nothing left to do.
    """

    # The field naming what the object belongs to: chosen when adding, fixed afterwards.
    parent_field = "organization"
    actions = None  # bulk delete would bypass delete()

    def create(self, actor, data: dict):
        raise NotImplementedError(f"{type(self).__name__} adds nothing: it has no create service")

    def update(self, actor, obj, changes: dict):
        raise NotImplementedError(f"{type(self).__name__} changes nothing: it has no update service")

    def organization_of(self, parent):
        """The organisation the object belongs to, through its parent: the parent's own
        ``organization``, or the parent itself when it is the organisation. Parents that
        reach it another way (a seat on a team) say so in a subclass."""
        return getattr(parent, "organization", parent)

    def _actor(self, request, parent):
        return active_membership(request.user, self.organization_of(parent).pk)

    delete = None  # ``delete(actor, obj)`` where a delete service exists

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, self.parent_field] if obj is not None else readonly

    def has_delete_permission(self, request, obj=None):
        return self.delete is not None and super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ServiceForm(form_class):
            def full_clean(self):
                super().full_clean()
                if self.is_bound and not self._errors:
                    model_admin._save_through_service(request, self, obj)

        return ServiceForm

    def _save_through_service(self, request, form, obj) -> None:
        parent = getattr(obj, self.parent_field) if obj is not None else form.cleaned_data[self.parent_field]
        actor = self._actor(request, parent)
        if actor is None:
            form.add_error(None, NO_MEMBERSHIP.format(org=self.organization_of(parent)))
            return
        try:
            if obj is None:
                form.saved_object = self.create(actor, form.cleaned_data)
            else:
                # The form has already written its values into ``obj``; the service
                # starts from the saved row and is told only what changed.
                fresh = type(obj).objects.get(pk=obj.pk)
                changes = {name: form.cleaned_data[name] for name in form.changed_data}
                form.saved_object = self.update(actor, fresh, changes)
        except ValidationError as error:
            _add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or "Your role in this organisation may not do this.")

    def save_form(self, request, form, change):
        return form.saved_object

    def save_model(self, request, obj, form, change):
        """Saved by the service already."""

    def save_related(self, request, form, formsets, change):
        """Saved by the service already (this admin has no inlines)."""

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except Refused as refusal:  # the view's transaction has rolled back
            self.message_user(request, str(refusal), messages.ERROR)
            opts = self.opts
            return HttpResponseRedirect(
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=[object_id],
                    current_app=self.admin_site.name,
                )
            )

    def get_deleted_objects(self, objs, request):
        # Rows that go with the object (check-ins, history) need no delete permission
        # of their own: the delete service decides, as it does in the product.
        deleted, counts, _, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj):
        parent = getattr(obj, self.parent_field)
        actor = self._actor(request, parent)
        if actor is None:
            raise Refused(NO_MEMBERSHIP.format(org=self.organization_of(parent)))
        try:
            self.delete(actor, obj)
        except (ValidationError, PermissionDenied) as error:
            raise Refused(" ".join(getattr(error, "messages", [str(error)]))) from error


class ReadOnlyAdmin(admin.ModelAdmin):
    """History and derived rows: written only by the use cases that produce them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
