"""The dashboard's page scripts say everything in both languages: every key they use exists in
zh and en (keys built from a prefix, like dash-nav-<page>, for every value the server sends),
and every pattern's variables are plain `{name}`s the script fills in."""

from __future__ import annotations

import re
from pathlib import Path

from bot.i18n import Locales
from composition.goals import KINDS as GOAL_METRICS
from composition.goals import OUTLOOKS
from core.analytics.overview import HEADLINES, SERIES
from core.community.directory import ACTIVITY, SORTS, STATES
from core.feedback import rules
from core.segments.directory import COLUMNS as SEGMENT_COLUMNS
from core.segments.risk import HIGH, LOST, LOW, MEDIUM
from core.segments.stages import STAGES, TIERS
from core.shop.catalogue import MODES
from handlers.dashboard import pages

STATIC = Path(__file__).resolve().parents[1] / "handlers" / "dashboard" / "static"
LITERAL = re.compile(r"""["'`](dash-[a-z0-9_-]*[a-z0-9_])["'`]""")


def used_keys() -> set[str]:
    found: set[str] = set()
    for path in STATIC.rglob("*.js"):
        found |= set(LITERAL.findall(path.read_text(encoding="utf-8")))
    found |= {f"dash-nav-{p.name}" for p in pages()}
    found |= {f"dash-kpi-{k}" for k in HEADLINES}
    found |= {f"dash-series-{k}" for k, _ in SERIES}
    found |= {f"dash-goal-metric-{k}" for k in GOAL_METRICS}
    found |= {f"dash-goal-outlook-{k}" for k in OUTLOOKS}
    found |= {f"dash-col-{k}" for k in SEGMENT_COLUMNS}
    found |= {f"dash-stage-{k}" for k in STAGES}
    found |= {f"dash-tier-{k}" for k in TIERS}
    found |= {f"dash-risk-{k}" for k in (LOW, MEDIUM, HIGH, LOST)}
    found |= {f"dash-col-{k}" for k in (*SORTS, "name", "best_streak")}
    found |= {f"dash-state-{k}" for k in STATES}
    found |= {f"dash-activity-{k or 'any'}" for k in ACTIVITY}
    found |= {f"dash-reward-mode-{m}" for m in MODES}
    found |= {f"dash-redemption-{s}" for s in ("pending", "fulfilled", "rejected")}
    found |= {f"dash-fb-status-{s}" for s in rules.STATUSES}
    found |= {f"dash-fb-cat-{c}" for c in rules.CATEGORIES}
    found |= {f"dash-fb-priority-{p}" for p in rules.PRIORITIES}
    found |= {f"dash-fb-any-{k}" for k in ("status", "category")}
    found |= {f"dash-weekday-{d}" for d in range(7)}
    found |= {f"dash-post-{a}d" for a in ("pause", "resume", "delete")}
    return found


def test_every_key_the_page_uses_exists_in_both_languages() -> None:
    locales = Locales()
    used = used_keys()
    assert len(used) > 100  # the scan found the scripts' keys
    for language in ("en", "zh"):
        texts = locales.client_texts(language, "dash-")
        assert used - set(texts) == set(), language
        for key, pattern in texts.items():
            assert "{$" not in pattern and "{ $" not in pattern, key
