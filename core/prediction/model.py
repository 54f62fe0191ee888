"""The model and its measured quality (scikit-learn and numpy: imported only where a training or
a scoring runs, in the worker; never in the bot process).

A logistic regression on standardized features (and the logarithm of the day counts, whose
effect fades: the tenth quiet day tells less than the second). It is stored as plain numbers
(JSON), not a pickle: scoring is a dot product, and the weights say which features pushed a
member's probability down, which is where the reasons come from.

The baseline ranks members by days since their last activity; its probabilities are the share
of members active the next week among those with the same number of quiet days in the
training weeks.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core.prediction.features import FEATURES, WINDOW

# Features also given as log(1 + x): counts of days whose effect fades.
LOGGED = ("since_active", "since_checkin", "streak", "broken_streak", "tenure")


def design_names() -> list[str]:
    return [*FEATURES, *(f"log_{name}" for name in LOGGED)]


def design(rows: Any) -> Any:
    """The model's inputs from raw feature rows (n x len(FEATURES))."""
    import numpy as np

    x = np.asarray(rows, dtype=np.float64).reshape(-1, len(FEATURES))
    logged = np.log1p(x[:, [FEATURES.index(n) for n in LOGGED]])
    return np.hstack([x, logged])


@dataclass(frozen=True, slots=True)
class Fitted:
    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float

    def to_json(self) -> str:
        return json.dumps(
            {
                "features": design_names(),
                "means": self.means,
                "scales": self.scales,
                "weights": self.weights,
                "intercept": self.intercept,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Fitted | None:
        data = json.loads(text)
        if data.get("features") != design_names():
            return None  # fitted on other features (an older version): retrain
        return cls(
            tuple(data["means"]), tuple(data["scales"]), tuple(data["weights"]), data["intercept"]
        )

    def logits(self, rows: Any) -> Any:
        import numpy as np

        z = (design(rows) - np.asarray(self.means)) / np.asarray(self.scales)
        return z @ np.asarray(self.weights) + self.intercept

    def predict(self, rows: Any) -> Any:
        import numpy as np

        return 1.0 / (1.0 + np.exp(-self.logits(rows)))

    def contributions(self, row: Sequence[int]) -> dict[str, float]:
        """How much each raw feature moves this member's logit away from the average member's."""
        values = [float(v) for v in row]
        values += [math.log1p(values[FEATURES.index(n)]) for n in LOGGED]
        found = dict.fromkeys(FEATURES, 0.0)
        for name, v, m, s, w in zip(
            design_names(), values, self.means, self.scales, self.weights, strict=True
        ):
            found[name.removeprefix("log_")] += w * (v - m) / s
        return found


def fit(rows: Any, labels: Any) -> Fitted:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = design(rows)
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales == 0] = 1.0
    model = LogisticRegression(C=1.0, max_iter=500)
    model.fit((x - means) / scales, np.asarray(labels))
    return Fitted(
        tuple(float(v) for v in means),
        tuple(float(v) for v in scales),
        tuple(float(v) for v in model.coef_[0]),
        float(model.intercept_[0]),
    )


def baseline_rates(since_active: Any, labels: Any) -> list[float]:
    """Share active the next week by days since the last activity (0 … WINDOW), smoothed
    towards the overall share where a day count has few members."""
    import numpy as np

    since = np.clip(np.asarray(since_active, dtype=np.int64), 0, WINDOW)
    y = np.asarray(labels, dtype=np.float64)
    overall = float(y.mean()) if len(y) else 0.5
    n = np.bincount(since, minlength=WINDOW + 1)
    k = np.bincount(since, weights=y, minlength=WINDOW + 1)
    prior = 10.0  # as if 10 more members at the overall share
    return [float(v) for v in (k + prior * overall) / (n + prior)]


def baseline_predict(rates: Sequence[float], since_active: Any) -> Any:
    import numpy as np

    return np.asarray(rates)[np.clip(np.asarray(since_active, dtype=np.int64), 0, WINDOW)]


@dataclass(frozen=True, slots=True)
class Quality:
    rows: int
    active_share: float
    auc_model: float
    auc_baseline: float
    brier_model: float
    brier_baseline: float

    @property
    def model_better(self) -> bool:
        return self.auc_model > self.auc_baseline


def evaluate(labels: Any, p_model: Any, p_baseline: Any, since_active: Any) -> Quality:
    """AUC and Brier score of the model and the baseline on held-out rows (both classes present).
    The baseline's AUC is that of its ranking, by days since the last activity."""
    import numpy as np
    from sklearn.metrics import brier_score_loss, roc_auc_score

    y = np.asarray(labels)
    return Quality(
        rows=len(y),
        active_share=float(y.mean()),
        auc_model=float(roc_auc_score(y, p_model)),
        auc_baseline=float(roc_auc_score(y, -np.asarray(since_active, dtype=np.float64))),
        brier_model=float(brier_score_loss(y, p_model)),
        brier_baseline=float(brier_score_loss(y, p_baseline)),
    )
