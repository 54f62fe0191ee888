"""Prediction tables (#25 §4): members' weekly feature snapshots and what followed, the scores
of the latest run, and each group's model with its measured quality (docs/prediction.md)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.tables.base import tg_id, ts


def _small() -> object:
    return Field(default=0, sa_type=sa.SmallInteger)


class MemberWeekSnapshot(SQLModel, table=True):
    """A member's features at the end of a local week (`week_end`, a Sunday), for the members
    active in the 30 days ending it; `label`: active in the 7 days after it (NULL until those
    days are over). core/prediction/features.py says what each feature means."""

    __tablename__ = "member_week_snapshot"
    __table_args__ = ({"info": {"group_merge": {"keep": "old"}}},)

    group_id: int = tg_id(primary_key=True)
    week_end: date = Field(primary_key=True)
    user_id: int = tg_id(primary_key=True)
    active_7: int = _small()
    active_14: int = _small()
    active_28: int = _small()
    since_active: int = _small()
    streak: int = _small()
    broken_streak: int = _small()
    since_checkin: int = _small()
    checkins_7: int = _small()
    checkins_28: int = _small()
    tenure: int = _small()
    habit: int = _small()
    label: int | None = Field(default=None, sa_type=sa.SmallInteger)


class MemberRisk(SQLModel, table=True):
    """The latest score of a member active in the last 30 days: the probability of being active
    in the next 7 days, and the facts that drive it (JSON: [[locale key, {args}], ...]).
    source: "model" or "baseline" (the model did not beat the baseline, or too little history)."""

    __tablename__ = "member_risk"
    __table_args__ = (
        sa.Index("ix_member_risk_group_p", "group_id", "p_active"),
        {"info": {"group_merge": {"keep": "old"}}},
    )

    group_id: int = tg_id(primary_key=True)
    user_id: int = tg_id(primary_key=True)
    p_active: float
    reasons: str = Field(default="[]", sa_type=sa.Text)
    source: str = Field(default="baseline", max_length=8)
    scored_day: date  # the group's local day the features are as of
    scored_at: datetime = ts(nullable=False)


class PredictionModel(SQLModel, table=True):
    """A group's model and its honest quality: AUC and Brier score of the model and of the
    baseline (days since last activity) on the latest weeks held out in time.

    use_model: the model beat the baseline there (else members are ranked by the baseline);
    status: ok | short (too little history) | not_better. coefficients: JSON of the fitted
    logistic regression (features, means, scales, weights, intercept); baseline: JSON of the
    share active the next week by days since last activity. pooled: fitted on every group's
    history (this group's alone was too small)."""

    __tablename__ = "prediction_model"
    __table_args__ = ({"info": {"group_merge": {"keep": "old"}}},)

    group_id: int = tg_id(primary_key=True)
    snapshot_week: date | None = Field(default=None)  # the latest week snapshotted
    trained_week: date | None = Field(default=None)  # the latest labelled week trained on
    trained_at: datetime | None = ts()
    scored_day: date | None = Field(default=None)
    status: str = Field(default="short", max_length=12)
    use_model: bool = Field(default=False)
    pooled: bool = Field(default=False)
    train_rows: int = Field(default=0)
    test_rows: int = Field(default=0)
    test_weeks: int = Field(default=0)
    test_active: float | None = Field(default=None)  # share active among the test rows
    auc_model: float | None = Field(default=None)
    auc_baseline: float | None = Field(default=None)
    brier_model: float | None = Field(default=None)
    brier_baseline: float | None = Field(default=None)
    train_seconds: float | None = Field(default=None)
    coefficients: str | None = Field(default=None, sa_type=sa.Text)
    baseline: str | None = Field(default=None, sa_type=sa.Text)
