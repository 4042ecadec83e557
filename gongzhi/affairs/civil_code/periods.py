"""The assembly's dates: the notice before voting, the result's publication, the annulment period.

- 民法典 第二百零一条: a period in days, months or years does not count the day of the event; it starts the
  next day.
- 民法典 第二百零二条: a period in months or years ends on the corresponding day of the last month (the month's
  last day when there is none, e.g. 29 February → 28 February).
- 民法典 第二百零三条: a period whose last day is a statutory rest day ends on the next working day. Only
  Saturdays and Sundays are known here (the State Council's holiday calendar is not in the data), so a
  deadline on a public holiday is shown a little early, never late.
- 《青岛市物业管理条例》第二十九条、第四十四条: the notice with the items, and the register of owners, are
  published at least 15 days before the vote; the decision is published within 3 days.
- 民法典 第二百八十条 第二款 with 司法解释 第十二条: an owner may ask a court to annul a decision within one year
  of the day they knew or should have known of it — for a published result, the day of publication.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

NOTICE_DAYS = 15
PUBLICATION_DAYS = 3
ANNULMENT_YEARS = 1


def earliest_voting_day(posted_on: date, days: int = NOTICE_DAYS) -> date:
    """The first day voting may start after a notice posted on ``posted_on``.

    The ``days`` days of notice run from the day after posting (第二百零一条) and must all have passed
    before voting starts ("提前十五日"): posted 1 March, the 15 days are 2–16 March, voting from 17 March."""
    if days < 0:
        raise ValueError("days must not be negative")
    return posted_on + timedelta(days=days + 1)


def notice_days_before(posted_on: date, voting_on: date) -> int:
    """Whole days of notice before voting starts (the posting day and the voting day not counted)."""
    return max((voting_on - posted_on).days - 1, 0)


def roll_past_rest_days(last_day: date) -> date:
    """第二百零三条: a deadline on a Saturday or Sunday moves to the following Monday."""
    while last_day.weekday() >= 5:
        last_day += timedelta(days=1)
    return last_day


def publication_deadline(closed_on: date, days: int = PUBLICATION_DAYS) -> date:
    """The last day to publish a decision taken (counted) on ``closed_on``: "三日内" (第二百零一条、第二百零三条)."""
    return roll_past_rest_days(closed_on + timedelta(days=days))


def add_years(day: date, years: int) -> date:
    """第二百零二条: the corresponding day ``years`` later; the month's last day when there is none."""
    year = day.year + years
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def annulment_last_day(known_on: date, years: int = ANNULMENT_YEARS) -> date:
    """The last day an owner may sue to annul a decision they knew of on ``known_on`` (第二百八十条 第二款,
    司法解释 第十二条): the period starts the next day and ends on the corresponding day a year later."""
    return roll_past_rest_days(add_years(known_on, years))
