"""The answer for an address under /api/v1/ that names nothing: a 404 problem document
(after the token is checked, like every address of the API), not the site's HTML page."""

from rest_framework import exceptions
from rest_framework.views import APIView


class NotFound(APIView):
    schema = None  # no operation of the API

    def get(self, request, *args, **kwargs):
        raise exceptions.NotFound("Nothing of the API is at this address.")

    head = post = put = patch = delete = get
