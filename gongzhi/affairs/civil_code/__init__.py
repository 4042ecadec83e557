"""Owner votes as the law counts them: pure functions, no ORM.

Sources, cited beside each rule below:

- 《中华人民共和国民法典》第二百七十八条 (matters the owners decide jointly, and the thresholds);
- 民法典 第一千二百五十九条 ("以上" includes the number itself; "超过" does not; "过半数" is strictly
  more than half);
- 民法典 第二百零一条 (a period counted in days starts on the day after the event);
- 《最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释》第八条 (which area counts) and
  第九条 (how owners are counted).

All arithmetic is exact: areas are ``Decimal`` summed without rounding, ratios are compared as integers or
``fractions.Fraction``. A float never decides a vote.
"""

from __future__ import annotations

from gongzhi.affairs.civil_code.electorate import (
    DEVELOPER,
    Electorate,
    Home,
    UnknownOwner,
    count_electorate,
)
from gongzhi.affairs.civil_code.items import (
    MORE_THAN_HALF,
    THREE_QUARTERS,
    TWO_THIRDS,
    Item,
    Opinion,
    Threshold,
    participation_threshold,
    threshold_for,
)
from gongzhi.affairs.civil_code.rule_sets import (
    DEFAULT_RULE_SETS,
    ConditionsResult,
    RuleSet,
    RuleSetOutcome,
    decide_under_rule_set,
    evaluate_conditions,
    rule_set_in_force,
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
    "THREE_QUARTERS",
    "TWO_THIRDS",
    "ConditionsResult",
    "Electorate",
    "Home",
    "Item",
    "Opinion",
    "RuleSet",
    "RuleSetOutcome",
    "TallyResult",
    "Threshold",
    "UnknownOwner",
    "as_opinion",
    "count_electorate",
    "decide_under_rule_set",
    "evaluate_conditions",
    "format_area",
    "participation_threshold",
    "rule_set_in_force",
    "tally",
    "threshold_for",
]
