from django.urls import path  # noqa: F401 (each page adds its route below)

app_name = "dashboards"

# One block per page; views live in dashboards/views/<page>.py.
urlpatterns: list = []
