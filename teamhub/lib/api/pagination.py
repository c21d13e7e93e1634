"""API pagination. Kept apart from the viewset base: DRF imports it while loading generics."""

from rest_framework import pagination


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
