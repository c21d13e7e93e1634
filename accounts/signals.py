"""What accounts/ tells the other apps, without depending on them.

``membership_deactivated`` is sent inside the deactivating transaction, so whatever
a receiver changes is saved with it or not at all. Arguments: ``membership`` (now
inactive) and ``actor`` (the admin who did it).
"""

from django.dispatch import Signal

membership_deactivated = Signal()
