"""Formats for zh-hans.

Numbers group by thousands with a comma, as statistical bulletins print 1,234. Dates are entered in ISO
form first: an HTML date input (`<input type="date">`) only takes and gives `YYYY-MM-DD`, and a form's
DateInput renders its value with the first input format, so Django's zh-hans `%Y/%m/%d` left every date
input blank and saving cleared the date. The other Chinese forms are still accepted when typed.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403
from django.conf.locale.zh_Hans.formats import DATE_INPUT_FORMATS as _DATES

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
DATE_INPUT_FORMATS = ["%Y-%m-%d", *(f for f in _DATES if f != "%Y-%m-%d")]
