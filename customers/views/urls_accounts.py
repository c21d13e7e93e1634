"""URLs of the account, contact and follow-up pages."""

from django.urls import path

from customers.views import accounts, contacts, follow_ups

urlpatterns = [
    path("customers/", accounts.account_list, name="account_list"),
    path("customers/new/", accounts.account_create, name="account_create"),
    path("customers/<int:pk>/", accounts.account_detail, name="account_detail"),
    path("customers/<int:pk>/edit/", accounts.account_update, name="account_update"),
    path("customers/<int:pk>/transfer/", accounts.account_transfer, name="account_transfer"),
    path("customers/<int:pk>/contacts/", contacts.contact_create, name="contact_create"),
    path("customers/<int:pk>/follow-ups/", follow_ups.follow_up_create, name="follow_up_create"),
    path("customers/teams/<int:pk>/turnaround/", accounts.turnaround, name="turnaround"),
    path("customers/contacts/<int:pk>/", contacts.contact_update, name="contact_update"),
    path("customers/contacts/<int:pk>/reviewed/", contacts.contact_mark_reviewed, name="contact_mark_reviewed"),
    path("customers/contacts/<int:pk>/delete/", contacts.contact_delete, name="contact_delete"),
    path("customers/follow-ups/<int:pk>/", follow_ups.follow_up_update, name="follow_up_update"),
    path("customers/follow-ups/<int:pk>/status/", follow_ups.follow_up_status, name="follow_up_status"),
]
