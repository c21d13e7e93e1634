"""Who a message goes to, and how to find them again.

A ``Recipient`` is one destination on one channel: a person of the organisation (an
in-app notification and its e-mail), a team's chat webhook, or an e-mail address
outside the organisation (a customer contact). People are known here; the apps that
own other recipients register a resolver for their type, which says where to send
now, or raises ``Unreachable`` with the reason (the contact opted out, the team
removed its webhook). Every send asks again, so an opt-out or a departure after the
message was queued is honoured.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist

from accounts.models import Membership
from notifications.models import Delivery

MEMBER = "member"


class Unreachable(Exception):
    """There is nowhere to send it now; the message says why, for admins to read."""


@dataclass(frozen=True)
class Recipient:
    type: str
    id: int | None
    name: str
    channel: str
    address: str
    membership: Membership | None = None  # a person of the organisation: also told in the app

    @property
    def key(self) -> tuple:
        return (self.type, self.id, self.channel, self.address if self.id is None else "")


def member(membership: Membership) -> Recipient | None:
    """A person of the organisation; nobody once they have left."""
    if membership is None or not membership.is_active:
        return None
    user = membership.user
    return Recipient(MEMBER, membership.pk, user.display_name, Delivery.Channel.EMAIL, user.email, membership)


Resolver = Callable[[int | None, str], str]
_resolvers: dict[str, Resolver] = {}


def register(recipient_type: str, resolve: Resolver) -> None:
    """``resolve(recipient_id, channel)`` returns the address to send to now, or raises
    Unreachable. Registered by the app that owns the recipients, when it loads."""
    _resolvers[recipient_type] = resolve


def _member_address(recipient_id: int | None, channel: str) -> str:
    person = Membership.objects.select_related("user").filter(pk=recipient_id).first()
    if person is None:
        raise Unreachable("This person is no longer in the organisation.")
    if not person.is_active:
        raise Unreachable(f"{person.user.display_name} has left: it is not sent to them any more.")
    return person.user.email


register(MEMBER, _member_address)


def current_address(delivery: Delivery) -> str:
    """Where the delivery should go now: the address may have been corrected, or the
    recipient may have opted out or left, since it was queued."""
    resolve = _resolvers.get(delivery.recipient_type)
    if resolve is None:
        raise Unreachable(f"TeamHub no longer knows how to reach a {delivery.recipient_type}.")
    try:
        return resolve(delivery.recipient_id, delivery.channel)
    except ObjectDoesNotExist:
        raise Unreachable(f"{delivery.recipient_name or 'The recipient'} is gone.") from None
