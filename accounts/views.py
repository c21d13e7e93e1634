"""Pages for people and tenants: bind a form, check access, call a service, render."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    InvitationForm,
    LoginForm,
    MembershipForm,
    OrganizationSettingsForm,
    ProfileForm,
    QueuedPasswordResetForm,
)
from accounts.models import ApiToken, Invitation, Membership, Organization
from accounts.tenancy import membership_for_slug
from teamhub.lib.forms import apply_validation_error, is_htmx
from teamhub.lib.tenancy import SESSION_ORG_KEY, Role, get_visible_or_404, membership_required, require_role


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        messages.success(self.request, "Your password has been changed.")
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    # Django's reset view answers the same whether or not the address has an account.
    template_name = "accounts/password_reset.html"
    form_class = QueuedPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


@login_required
def no_organisation(request):
    if request.membership:
        return redirect("home")
    return render(request, "accounts/no_organisation.html")


@login_required
@require_POST
def switch_organisation(request):
    membership = membership_for_slug(request.user, request.POST.get("org", ""))
    request.session[SESSION_ORG_KEY] = membership.organization_id
    messages.info(request, f"You are now working in {membership.organization.name}.")
    return redirect("home")


# --- Own account ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    form = ProfileForm(request.POST or None, initial={"full_name": request.user.full_name})
    if request.method == "POST" and form.is_valid():
        request.user.full_name = form.cleaned_data["full_name"].strip()
        request.user.save(update_fields=["full_name"])
        messages.success(request, "Your name has been saved.")
        return redirect("accounts:account")
    return render(request, "accounts/account.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _, new_token = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            form = ApiTokenForm()
    context = {"form": form, "tokens": selectors.api_token_list(user=request.user), "new_token": new_token}
    return render(request, "accounts/api_tokens.html", context)


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(user=request.user, token=token)
    messages.success(request, f"Token “{token.name}” revoked. Anything using it is now refused.")
    return redirect("accounts:api_tokens")


# --- Organisation settings (admins) ---------------------------------------------------------


@membership_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def organization_settings(request, membership):
    # A copy for the form: binding it writes the submitted values onto its instance,
    # and a rejected form must not show unsaved values in the page's header and nav.
    organization = Organization.objects.get(pk=membership.organization_id)
    form = OrganizationSettingsForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        try:
            services.organization_update(actor=membership, organization=organization, **changes)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Organisation settings saved.")
            return redirect("accounts:organization_settings")
    return render(request, "accounts/organization_settings.html", {"form": form})


@membership_required(Role.ADMIN)
def members(request, membership):
    context = {"memberships": selectors.membership_list(membership=membership), "roles": Role.choices}
    return render(request, "accounts/members.html", context)


@membership_required()
@require_POST
def member_update(request, membership, pk):
    # Find the member first, so another organisation's id is a 404 for every role.
    target = get_visible_or_404(Membership.objects.select_related("user"), membership, pk=pk)
    require_role(membership, Role.ADMIN)
    action = request.POST.get("action")
    try:
        if action == "role":
            form = MembershipForm(request.POST)
            if not form.is_valid():
                raise ValidationError({"role": "Choose a role."})
            services.membership_change_role(actor=membership, membership=target, role=form.cleaned_data["role"])
            notice = f"{target.user.display_name} is now {target.get_role_display().lower()}."
        elif action in ("deactivate", "reactivate"):
            services.membership_set_active(actor=membership, membership=target, active=action == "reactivate")
            notice = f"{target.user.display_name} {'reactivated' if target.is_active else 'deactivated'}."
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        target.refresh_from_db()
    else:
        messages.success(request, notice)
    if is_htmx(request):
        return render(request, "accounts/partials/member_update.html", {"m": target, "roles": Role.choices})
    return redirect("accounts:members")


@membership_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def invitations(request, membership):
    form = InvitationForm(request.POST or None)
    invite_link = None
    if request.method == "POST" and form.is_valid():
        try:
            invitation, raw = services.invitation_create(actor=membership, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            invite_link = services.invitation_accept_url(raw)
            messages.success(request, f"Invitation sent to {invitation.email}.")
            form = InvitationForm()
    context = {
        "form": form,
        "invitations": selectors.invitation_list(membership=membership),
        "invite_link": invite_link,
    }
    return render(request, "accounts/invitations.html", context)


@membership_required()
@require_POST
def invitation_revoke(request, membership, pk):
    invitation = get_visible_or_404(Invitation.objects.all(), membership, pk=pk)
    require_role(membership, Role.ADMIN)
    try:
        services.invitation_revoke(actor=membership, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Invitation of {invitation.email} revoked.")
    return redirect("accounts:invitations")


# --- Accepting an invitation (no login needed) -------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    user = request.user if request.user.is_authenticated else None
    form = None if user else AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and (user or form.is_valid()):
        fields = (
            {} if user else {"full_name": form.cleaned_data["full_name"], "password": form.cleaned_data["password"]}
        )
        try:
            membership = services.invitation_accept(raw_token=token, user=user, **fields)
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect(request.path)
            apply_validation_error(form, error)
        else:
            if user is None:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_ORG_KEY] = membership.organization_id
            messages.success(request, f"Welcome to {membership.organization.name}!")
            return redirect("home")
    context = {"invitation": invitation, "form": form}
    return render(request, "accounts/invitation_accept.html", context)
