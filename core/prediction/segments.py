"""The segments' "at risk" stage from the model (core/segments/refresh.py AtRiskSource).

At risk: the baseline rule (no sign of life for the group's `active` days), or a score from a
model that beat the baseline giving less than an even chance of being active in the next 7
days. Groups without such a score keep the baseline rule alone.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.prediction.reasons import AT_RISK_BELOW
from storage.queries import prediction as rows
from storage.queries.segments import refresh as segment_rows


class ModelAtRisk:
    def condition(self, q: segment_rows.StageSql) -> Any:
        return sa.or_(
            segment_rows.quiet_since_active(q), rows.model_says_at_risk(q.member, AT_RISK_BELOW)
        )
