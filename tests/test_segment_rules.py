"""Lifecycle stages, value tiers, the baseline risk and tag names: the rules, table-tested."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.segments import risk as r
from core.segments import tags
from core.segments.settings import Thresholds
from core.segments.stages import (
    ACTIVE,
    AT_RISK,
    CASUAL,
    CHURNED,
    CORE,
    DORMANT,
    NEW,
    REGULAR,
    RETURNED,
    MemberFacts,
    TierCuts,
    effective_stage,
    stage_of,
    tier_cuts,
    tier_of,
)

D = date(2026, 3, 10)  # the day stages are computed for
TH = Thresholds()


def ago(days: int) -> date:
    return D - timedelta(days=days)


def facts(
    inactive: int,
    *,
    joined: int | None = None,
    left: bool = False,
    stage: str | None = None,
    since: int | None = None,
) -> MemberFacts:
    return MemberFacts(
        user_id=1,
        last_day=ago(inactive),
        joined_day=None if joined is None else ago(joined),
        left_day=D if left else None,
        stage=stage,
        since=None if since is None else ago(since),
    )


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        # activity alone: the day boundaries of each threshold
        (facts(0), ACTIVE),
        (facts(6), ACTIVE),
        (facts(7), AT_RISK),  # active in the 14 days before, not in the last 7
        (facts(13), AT_RISK),
        (facts(14), DORMANT),
        (facts(29), DORMANT),
        (facts(30), CHURNED),
        (facts(400), CHURNED),
        (facts(-1), ACTIVE),  # active after the day computed (the run is late): active
        # leaving trumps everything
        (facts(0, left=True), CHURNED),
        (facts(0, joined=1, left=True), CHURNED),
        # new: joined fewer than 7 days ago, first classification or new before
        (facts(0, joined=0), NEW),
        (facts(6, joined=6), NEW),
        (facts(0, joined=6, stage=NEW), NEW),
        (facts(7, joined=7, stage=NEW), AT_RISK),  # 7 days since joining: no longer new
        (facts(0, joined=7, stage=NEW), ACTIVE),
        (facts(20, joined=3), NEW),  # quiet since the join, but new (the join is later)
        # rejoined after leaving: came back
        (facts(1, joined=1, stage=CHURNED), RETURNED),
        (facts(1, joined=1, stage=DORMANT), RETURNED),
        (facts(1, joined=1, stage=AT_RISK), ACTIVE),
        # returned: active again after dormant or churned; lasts 14 days while active
        (facts(0, stage=DORMANT, since=20), RETURNED),
        (facts(3, stage=CHURNED, since=60), RETURNED),
        (facts(0, stage=AT_RISK, since=3), ACTIVE),  # at risk is not away: just active
        (facts(0, stage=RETURNED, since=13), RETURNED),
        (facts(0, stage=RETURNED, since=14), ACTIVE),
        (facts(8, stage=RETURNED, since=5), AT_RISK),  # quiet again
        (facts(20, stage=RETURNED, since=5), DORMANT),
        (facts(12, stage=DORMANT, since=1), AT_RISK),  # thresholds raised since: rules win
    ],
)
def test_stage_table(member: MemberFacts, expected: str) -> None:
    assert stage_of(member, TH, D)[0] == expected


def test_since_is_kept_while_the_stage_holds() -> None:
    assert stage_of(facts(0, stage=ACTIVE, since=40), TH, D) == (ACTIVE, ago(40))
    assert stage_of(facts(0, stage=DORMANT, since=40), TH, D) == (RETURNED, D)
    assert stage_of(facts(0, stage=RETURNED, since=3), TH, D) == (RETURNED, ago(3))
    assert stage_of(facts(0), TH, D) == (ACTIVE, D)


@pytest.mark.parametrize(
    ("th", "member", "expected"),
    [
        (Thresholds(active=3), facts(3), AT_RISK),
        (Thresholds(active=3), facts(2), ACTIVE),
        (Thresholds(dormant=10), facts(10), DORMANT),
        (Thresholds(churned=60), facts(59), DORMANT),
        (Thresholds(churned=60), facts(60), CHURNED),
        (Thresholds(new=14), facts(0, joined=13), NEW),
        (Thresholds(returned=3), facts(0, stage=RETURNED, since=3), ACTIVE),
        # overlapping settings still give one stage, checked from churned down
        (Thresholds(active=20, dormant=10), facts(12), DORMANT),
        (Thresholds(dormant=40, churned=30), facts(35), CHURNED),
    ],
)
def test_thresholds_are_the_groups(th: Thresholds, member: MemberFacts, expected: str) -> None:
    assert stage_of(member, th, D)[0] == expected


def test_at_risk_rule_is_replaceable() -> None:
    """Prediction marks members at risk from the model, whatever their quiet days."""
    flagged = {7}

    def model(member: MemberFacts, th: Thresholds, as_of: date) -> bool:
        return member.user_id in flagged

    active_but_flagged = MemberFacts(7, last_day=ago(1))
    quiet_not_flagged = MemberFacts(8, last_day=ago(10))
    assert stage_of(active_but_flagged, TH, D, model)[0] == AT_RISK
    assert stage_of(quiet_not_flagged, TH, D, model)[0] == ACTIVE
    # dormant and churned stay the rules' (the model is asked about the rest)
    assert stage_of(MemberFacts(7, last_day=ago(20)), TH, D, model)[0] == DORMANT


@pytest.mark.parametrize(
    ("earned", "members", "cuts"),
    [
        ([], 10, TierCuts(0, 0)),  # nobody earned: everyone casual
        ([5], 0, TierCuts(0, 0)),
        # 10 members, 10 earners 100..10: core = rank 1, regular = rank 4
        (list(range(10, 101, 10)), 10, TierCuts(100, 70)),
        # 20 members, 4 earners: core = rank 2, regular = rank 8 -> the last earner
        ([50, 40, 30, 20], 20, TierCuts(40, 20)),
        # ties at the cut are all core: 10 members, rank 1 earned 30, as did two others
        ([30, 30, 30, 10, 5], 10, TierCuts(30, 10)),
        # 5 members: ceil(0.5) = 1 core, ceil(2) = 2 regular ranks
        ([9, 8, 7, 6, 5], 5, TierCuts(9, 8)),
        # zeros are not earners
        ([0, 0, 12], 3, TierCuts(12, 12)),
        # 1,000 members: rank 100 and rank 400
        (list(range(1000, 0, -1)), 1000, TierCuts(901, 601)),
    ],
)
def test_tier_cuts(earned: list[int], members: int, cuts: TierCuts) -> None:
    assert tier_cuts(earned, members, 10, 30) == cuts


def test_tiers_of_members() -> None:
    cuts = tier_cuts([30, 30, 30, 10, 5], 10, 10, 30)
    assert [tier_of(e, cuts) for e in (30, 29, 10, 9, 5, 0)] == [
        CORE,
        REGULAR,
        REGULAR,
        CASUAL,
        CASUAL,
        CASUAL,
    ]
    assert tier_of(0, TierCuts(0, 0)) == CASUAL
    assert tier_of(1, TierCuts(0, 0)) == CASUAL
    none_regular = tier_cuts([10, 9, 8], 10, 10, 0)
    assert [tier_of(e, none_regular) for e in (10, 9)] == [CORE, CASUAL]


def test_effective_stage_between_runs() -> None:
    assert effective_stage(DORMANT, left=True, joined_recently=False) == CHURNED
    assert effective_stage(None, left=False, joined_recently=True) == NEW
    assert effective_stage(None, left=False, joined_recently=False) == ACTIVE
    assert effective_stage(DORMANT, left=False, joined_recently=True) == DORMANT


def risk(stage: str, quiet: int, **extra: object) -> r.Risk:
    values: dict[str, object] = {
        "stage": stage,
        "today": D,
        "last_day": ago(quiet),
        "joined_day": None,
        "last_checkin_day": None,
        "streak": 0,
        "checkins": 0,
    }
    values.update(extra)
    return r.baseline_risk(r.RiskFacts(**values), TH)  # type: ignore[arg-type]


def test_baseline_risk_levels_and_reasons() -> None:
    fresh = risk(ACTIVE, 0, last_checkin_day=D, streak=5, checkins=9)
    assert fresh.level == r.LOW and [x.key for x in fresh.reasons] == ["whois-reason-active"]
    quiet = risk(ACTIVE, 5, last_checkin_day=ago(5), streak=12, checkins=30)
    assert quiet.level == r.MEDIUM
    assert quiet.reasons == (
        r.Reason("whois-reason-quiet", {"days": 5}),
        r.Reason("whois-reason-streak-broken", {"streak": 12, "days": 4}),
    )
    assert risk(AT_RISK, 9).level == r.HIGH
    assert risk(DORMANT, 20).level == r.HIGH
    assert risk(CHURNED, 40).level == r.LOST
    gone = risk(ACTIVE, 1, left=True)
    assert gone.level == r.LOST and gone.reasons[0].key == "whois-reason-left"
    short_streak = risk(ACTIVE, 4, last_checkin_day=ago(4), streak=2, checkins=2)
    assert [x.key for x in short_streak.reasons] == [
        "whois-reason-quiet",
        "whois-reason-no-checkin",
    ]
    newcomer = risk(NEW, 4, joined_day=ago(4))
    assert [x.key for x in newcomer.reasons] == [
        "whois-reason-quiet",
        "whois-reason-never-checked-in",
        "whois-reason-new",
    ]
    back = risk(RETURNED, 0, last_checkin_day=D, streak=1, checkins=3)
    assert [x.key for x in back.reasons] == ["whois-reason-returned"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("vip", "vip"),
        ("VIP", "vip"),
        ("#Beta_Tester", "beta_tester"),
        ("大客户", "大客户"),
        ("early-bird", "early-bird"),
        ("2024年会", "2024年会"),
        ("x" * 32, "x" * 32),
    ],
)
def test_tag_names(typed: str, stored: str) -> None:
    assert tags.normalize_tag(typed) == stored


@pytest.mark.parametrize(
    "typed", ["<b>vip</b>", "a&b", "vip!", "-vip", "#", "", "x" * 33, "x" * 200, "a:b", "😀"]
)
def test_not_tags(typed: str) -> None:
    with pytest.raises(ValueError):
        tags.normalize_tag(typed)


def test_parse_tags_names_what_is_wrong() -> None:
    assert tags.parse_tags(["VIP", "vip", "gold"]) == ["vip", "gold"]
    with pytest.raises(tags.BadTag) as bad:
        tags.parse_tags(["vip", "<b>x</b>"])
    assert bad.value.args_map["tag"] == "<b>x</b>"
    with pytest.raises(tags.TagTooLong) as long:
        tags.parse_tags(["x" * 200])
    assert len(str(long.value.args_map["tag"])) <= 40 and long.value.args_map["max"] == 32
    with pytest.raises(tags.NoTags):
        tags.parse_tags([])
    with pytest.raises(tags.TooManyTags):
        tags.parse_tags([f"t{i}" for i in range(11)])
