"""Writes for people and tenants: one function per use case, each its own transaction."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts import signals
from accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organization,
    User,
    hash_token,
    invitation_link_token,
    new_token,
)
from teamhub.lib.actors import require_grant
from teamhub.lib.queue import enqueue_on_commit
from teamhub.lib.tenancy import Role, require_role, require_same_org

# What an integration (a directory sync, say) may be granted: people who leave the
# company are deactivated here too, and what they held is handed back.
DEACTIVATE_MEMBERS = "accounts.deactivate_members"

# --- Organisations ---------------------------------------------------------------------


@transaction.atomic
def organization_create(*, name: str, creator: User, slug: str = "", timezone_name: str = "UTC") -> Organization:
    """A new tenant, with its creator as its first admin."""
    organization = Organization(name=name, slug=slug or slugify(name)[:60], timezone=timezone_name)
    organization.full_clean()
    organization.save()
    Membership.objects.create(user=creator, organization=organization, role=Role.ADMIN)
    return organization


ORGANIZATION_SETTINGS = (
    "name",
    "timezone",
    "anonymity_threshold",
    "comment_threshold",
    "handoff_sla_hours",
    "survey_throttle_days",
    "detractor_sla_days",
    "weight_survey",
    "weight_responsiveness",
    "weight_follow_through",
    "weight_breadth",
)


@transaction.atomic
def organization_update(*, actor: Membership, organization: Organization, **changes) -> Organization:
    require_role(actor, Role.ADMIN)
    if organization.pk != actor.organization_id:
        raise PermissionDenied("Admins change their own organisation's settings only.")
    unknown = set(changes) - set(ORGANIZATION_SETTINGS)
    if unknown:
        raise ValidationError(f"Unknown setting(s): {', '.join(sorted(unknown))}.")
    for field, value in changes.items():
        setattr(organization, field, value)
    organization.full_clean()
    organization.save(update_fields=list(changes) or None)
    return organization


# --- Memberships ------------------------------------------------------------------------


def _lock_admins(organization_id: int) -> None:
    """Serialise admin changes in one organisation, so two demotions cannot both pass.

    Ordered by pk, not the default ordering: that would join (and so also lock) the
    users and the organisation, rows that logins and the settings page write.
    """
    list(
        Membership.objects.select_for_update()
        .filter(organization_id=organization_id, role=Role.ADMIN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _other_active_admins(membership: Membership):
    return Membership.objects.filter(
        organization_id=membership.organization_id, role=Role.ADMIN, is_active=True
    ).exclude(pk=membership.pk)


@transaction.atomic
def membership_change_role(*, actor: Membership, membership: Membership, role: str) -> Membership:
    require_role(actor, Role.ADMIN)
    require_same_org(actor, membership)
    if role not in Role.values:
        raise ValidationError({"role": f"“{role}” is not a role."})
    _lock_admins(membership.organization_id)
    if membership.role == Role.ADMIN and role != Role.ADMIN and not _other_active_admins(membership).exists():
        raise ValidationError({"role": "An organisation needs at least one active admin."})
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_set_active(*, actor: Membership, membership: Membership, active: bool) -> Membership:
    """Deactivate someone who left (or bring them back). An admin does it; so may an
    integration granted DEACTIVATE_MEMBERS (deactivation only)."""
    require_grant(actor, DEACTIVATE_MEMBERS, role=Role.ADMIN)
    require_same_org(actor, membership)
    if active:
        require_role(actor, Role.ADMIN)
    if not active:
        if membership.pk == actor.pk:
            raise ValidationError({"is_active": "You cannot deactivate yourself."})
        _lock_admins(membership.organization_id)
        if membership.role == Role.ADMIN and not _other_active_admins(membership).exists():
            raise ValidationError({"is_active": "An organisation needs at least one active admin."})
    leaving = membership.is_active and not active
    membership.is_active = active
    membership.save(update_fields=["is_active"])
    if leaving:
        signals.membership_deactivated.send(sender=Membership, membership=membership, actor=actor)
    return membership


@transaction.atomic
def membership_update(
    *, actor: Membership, membership: Membership, role: str | None = None, is_active: bool | None = None
) -> Membership:
    """Change role and/or active state together: both or neither are saved."""
    if role is not None:
        membership_change_role(actor=actor, membership=membership, role=role)
    if is_active is not None:
        membership_set_active(actor=actor, membership=membership, active=is_active)
    return membership


# --- Invitations ---------------------------------------------------------------------------


def invitation_accept_url(raw_token: str) -> str:
    return f"{settings.SITE_URL}/invitations/{raw_token}/"


@transaction.atomic
def invitation_create(*, actor: Membership, email: str, role: str = Role.MEMBER) -> tuple[Invitation, str]:
    """Invite ``email`` to the actor's organisation.

    Returns the invitation and its raw token, for the admin to copy: the database keeps
    its digest, and the e-mail job derives the token again from the invitation. Inviting an address again replaces the
    open invitation, so the newest link is the only one that works.
    """
    require_role(actor, Role.ADMIN)
    email = User.objects.normalize_email(email).strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": f"“{role}” is not a role."})
    organization = actor.organization
    # A deactivated member may be invited back: accepting reactivates them.
    if Membership.objects.filter(organization=organization, user__email__iexact=email, is_active=True).exists():
        raise ValidationError({"email": "This person is already a member of the organisation."})
    now = timezone.now()
    Invitation.objects.filter(
        organization=organization, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    nonce = secrets.token_urlsafe(32)
    raw = invitation_link_token(nonce)
    invitation = Invitation(
        organization=organization,
        email=email,
        role=role,
        token_hash=hash_token(raw),
        token_nonce=nonce,
        invited_by=actor.user,
        expires_at=now + timedelta(days=settings.INVITATION_TTL_DAYS),
    )
    invitation.full_clean(exclude=["token_hash", "token_nonce"])
    invitation.save()
    from accounts.tasks import send_invitation_email

    # Only the id: the job derives the link again, so the secret is never in the broker.
    enqueue_on_commit(send_invitation_email, invitation.pk)
    return invitation, raw


@transaction.atomic
def invitation_revoke(*, actor: Membership, invitation: Invitation) -> Invitation:
    require_role(actor, Role.ADMIN)
    require_same_org(actor, invitation)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(f"Only a pending invitation can be revoked; this one is {invitation.status}.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_for_token(raw_token: str) -> Invitation | None:
    """The pending invitation this link stands for, or None (unknown, used, revoked, expired)."""
    invitation = Invitation.objects.select_related("organization").filter(token_hash=hash_token(raw_token)).first()
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        return None
    return invitation


@transaction.atomic
def invitation_accept(
    *, raw_token: str, user: User | None = None, full_name: str = "", password: str = ""
) -> Membership:
    """Accept an invitation: as the logged-in ``user``, or by creating the account.

    An address that already has an account must log in to accept, so an invitation
    link can never be used to set someone else's password.
    """
    invitation = invitation_for_token(raw_token)
    if invitation is None:
        raise ValidationError("This invitation link is not valid any more. Ask your admin for a new one.")
    # Single use even under a double click: only one request flips accepted_at.
    claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
        accepted_at=timezone.now()
    )
    if not claimed:
        raise ValidationError("This invitation has already been used.")
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        if existing is not None:
            raise ValidationError("An account with this e-mail address exists: log in to accept the invitation.")
        user = _user_create_from_invitation(invitation, full_name=full_name, password=password)
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(f"This invitation is for {invitation.email}; you are logged in as {user.email}.")
    membership, created = Membership.objects.get_or_create(
        user=user, organization=invitation.organization, defaults={"role": invitation.role}
    )
    if not created and not membership.is_active:
        # Re-inviting a deactivated member brings them back with the invited role;
        # an active member keeps theirs (a stale invitation must not demote an admin).
        membership.is_active = True
        membership.role = invitation.role
        membership.save(update_fields=["is_active", "role"])
    Invitation.objects.filter(pk=invitation.pk).update(accepted_by=user)
    return membership


def _user_create_from_invitation(invitation: Invitation, *, full_name: str, password: str) -> User:
    full_name = full_name.strip()
    if not full_name:
        raise ValidationError({"full_name": "Tell your colleagues your name."})
    candidate = User(email=invitation.email, full_name=full_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    try:
        with transaction.atomic():
            return User.objects.create_user(invitation.email, password, full_name=full_name)
    except IntegrityError:
        raise ValidationError("An account with this e-mail address exists: log in to accept the invitation.") from None


def invitation_mark_sent(*, invitation_id: int) -> bool:
    return bool(
        Invitation.objects.filter(pk=invitation_id, email_sent_at__isnull=True).update(email_sent_at=timezone.now())
    )


# --- API tokens -----------------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. the tool that will use it."})
    if len(name) > 80:
        raise ValidationError({"name": "Keep the name under 80 characters."})
    raw = new_token("th")
    token = ApiToken.objects.create(user=user, name=name, token_hash=hash_token(raw), prefix=raw[:10])
    return token, raw


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    if token.user_id != user.pk:
        raise ValidationError("Not your token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def session_clear_expired() -> int:
    """Delete expired sessions (idempotent: two runs at once delete the same rows)."""
    from django.contrib.sessions.models import Session

    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
