from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "customers"

    def ready(self):
        from customers.selectors import CONTACT, contact_address
        from notifications import recipients

        # E-mail to a customer contact (an NPS survey) goes to their address as it is
        # when sent, and not at all once they opted out.
        recipients.register(CONTACT, contact_address)
