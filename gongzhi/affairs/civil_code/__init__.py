"""Owner votes as the law counts them: pure functions, no ORM.

Sources, cited beside each rule below:

- 《中华人民共和国民法典》第二百七十八条 (matters the owners decide jointly, and the thresholds);
- 民法典 第一千二百五十九条 ("以上" includes the number itself; "超过" does not; "过半数" is strictly
  more than half);
- 民法典 第二百零一条 to 第二百零三条 (periods: the notice, the result's publication, the annulment
  period of 第二百八十条 with 司法解释 第十二条: ``periods``);
- 民法典 第二百八十一条 第二款 (the maintenance fund used in an emergency: ``workflow.emergency_refusal``);
- 民法典 第三百零一条 with 司法解释 第九条 (co-owners of one home, one opinion: ``co_owners_opinion``);
- 《最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释》第八条 (which area counts) and
  第九条 (how owners are counted).

All arithmetic is exact: areas are ``Decimal`` summed without rounding, ratios are compared as integers or
``fractions.Fraction``. A float never decides a vote.
"""

from __future__ import annotations

from gongzhi.affairs.civil_code.co_owners import CoOwnerRule, HomeOpinion, co_owners_opinion
from gongzhi.affairs.civil_code.electorate import (
    DEVELOPER,
    Developer,
    Electorate,
    Home,
    UnknownOwner,
    count_electorate,
    counted_owner,
    same_name_assumptions,
)
from gongzhi.affairs.civil_code.items import (
    MORE_THAN_HALF,
    THREE_QUARTERS,
    TWO_THIRDS,
    Item,
    Opinion,
    Threshold,
    approval_floor,
    participation_threshold,
    threshold_for,
)
from gongzhi.affairs.civil_code.periods import (
    NOTICE_DAYS,
    annulment_last_day,
    earliest_voting_day,
    notice_days_before,
    publication_deadline,
)
from gongzhi.affairs.civil_code.reasons import Reason, reason
from gongzhi.affairs.civil_code.rule_sets import (
    DEFAULT_RULE_SETS,
    SCOPE_LABELS,
    ConditionsResult,
    RuleSet,
    RuleSetOutcome,
    decide_under_rule_set,
    evaluate_conditions,
    laxness_faults,
    rule_set_in_force,
    scope_fault,
)
from gongzhi.affairs.civil_code.tally import (
    TallyResult,
    as_opinion,
    format_area,
    tally,
)

__all__ = [
    "DEFAULT_RULE_SETS",
    "DEVELOPER",
    "MORE_THAN_HALF",
    "NOTICE_DAYS",
    "SCOPE_LABELS",
    "THREE_QUARTERS",
    "TWO_THIRDS",
    "CoOwnerRule",
    "ConditionsResult",
    "Developer",
    "Electorate",
    "Home",
    "HomeOpinion",
    "Item",
    "Opinion",
    "Reason",
    "RuleSet",
    "RuleSetOutcome",
    "TallyResult",
    "Threshold",
    "UnknownOwner",
    "annulment_last_day",
    "approval_floor",
    "as_opinion",
    "co_owners_opinion",
    "count_electorate",
    "counted_owner",
    "decide_under_rule_set",
    "earliest_voting_day",
    "evaluate_conditions",
    "format_area",
    "laxness_faults",
    "notice_days_before",
    "participation_threshold",
    "publication_deadline",
    "reason",
    "rule_set_in_force",
    "same_name_assumptions",
    "scope_fault",
    "tally",
    "threshold_for",
]
