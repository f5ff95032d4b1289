"""How the API's lists are paged: ``?page=N`` (from 1) and ``?page_size=N`` (up to
``MAX_PAGE_SIZE``), answered as ``{"count", "next", "previous", "results"}``."""

from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
