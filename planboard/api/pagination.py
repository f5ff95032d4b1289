"""How the API's lists are paged: ``?page=N`` (from 1) and ``?page_size=N`` (up to
``MAX_PAGE_SIZE``), answered as ``{"count", "next", "previous", "results"}``."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        """The page size asked for; one that is not a whole number is a 400, not ignored."""
        for written in request.query_params.getlist(self.page_size_query_param):
            try:
                int(written)
            except ValueError:
                raise ValidationError(
                    {self.page_size_query_param: ["Give the page size as a whole number."]}
                ) from None
        return super().get_page_size(request)
