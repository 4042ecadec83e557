"""API pagination: pages of 50 by default, 500 at most, so no request can ask for the whole city at once."""

from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 500
