from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Membership
from teamhub.lib.tenancy import Role, require_role, require_same_org
from teams.models import Endorsement, MemberStrength, Strength
from teams.services._common import apply_changes, require_unique_name, save_valid

# --- The catalogue (admins) --------------------------------------------------------------------


@transaction.atomic
def strength_create(
    *, actor: Membership, name: str, kind: str = Strength.Kind.SKILL, description: str = ""
) -> Strength:
    require_role(actor, Role.ADMIN)
    require_unique_name(Strength.objects.for_org(actor.organization_id), name, what="A strength")
    return save_valid(Strength(organization=actor.organization, name=name, kind=kind, description=description))


@transaction.atomic
def strength_update(*, actor: Membership, strength: Strength, **changes) -> Strength:
    require_role(actor, Role.ADMIN)
    require_same_org(actor, strength)
    fields = apply_changes(strength, changes, allowed=("name", "kind", "description"))
    strengths = Strength.objects.for_org(strength.organization_id)
    require_unique_name(strengths, strength.name, instance=strength, what="A strength")
    return save_valid(strength, update_fields=fields or None)


@transaction.atomic
def strength_delete(*, actor: Membership, strength: Strength) -> None:
    require_role(actor, Role.ADMIN)
    require_same_org(actor, strength)
    strength.delete()


# --- People's own strengths and endorsements ------------------------------------------------------


@transaction.atomic
def member_strength_set(*, actor: Membership, strength: Strength, level: int) -> MemberStrength:
    """Mark (or re-level) one of your own strengths."""
    if strength.organization_id != actor.organization_id:
        raise ValidationError({"strength": "Choose a strength from your organisation's catalogue."})
    if level not in MemberStrength.Level.values:
        raise ValidationError({"level": "Choose a level from 1 (learning) to 5 (expert)."})
    member_strength, _ = MemberStrength.objects.update_or_create(
        membership=actor, strength=strength, defaults={"level": level}
    )
    return member_strength


@transaction.atomic
def member_strength_remove(*, actor: Membership, member_strength: MemberStrength) -> None:
    if member_strength.membership_id != actor.pk:
        raise PermissionDenied("You can remove only your own strengths.")
    member_strength.delete()


@transaction.atomic
def endorsement_create(*, actor: Membership, member_strength: MemberStrength) -> Endorsement:
    if member_strength.membership_id == actor.pk:
        raise ValidationError("You cannot endorse your own strength.")
    if member_strength.membership.organization_id != actor.organization_id:
        raise ValidationError("You can endorse only colleagues in your organisation.")
    try:
        with transaction.atomic():
            return Endorsement.objects.create(
                member_strength=member_strength, endorser=actor, endorsed_id=member_strength.membership_id
            )
    except IntegrityError:
        raise ValidationError("You have already endorsed this strength.") from None


@transaction.atomic
def endorsement_remove(*, actor: Membership, member_strength: MemberStrength) -> None:
    Endorsement.objects.filter(member_strength=member_strength, endorser=actor).delete()
