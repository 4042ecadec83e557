"""Number formats for zh-hans: group by thousands with a comma, as statistical bulletins print 1,234."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
