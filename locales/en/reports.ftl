## /retention, /funnel, /compare (handlers/numbers/reports.py) and /stats' album
cmd-retention = See how many newcomers stay
example-retention = /retention weeks
help-retention = [weeks | days] [period] — join cohorts with W1…W8 (by week, the last 12 weeks) or D1/D7/D14/D30 (by day, the last 30 days): a table, the average and a heat map (in private: pick a group)
cmd-funnel = See the newcomers' funnel
example-funnel = /funnel 90d
help-funnel = [7d | 30d | 90d | 2026-03-01..2026-03-31] — members who joined in the period: first check-in, 3-day and 7-day streak, first redemption, with the conversion of each step
cmd-compare = Compare the days before and after a date
example-compare = /compare 2026-11-20 7
help-compare = <date> [days] — the daily numbers of the N days (7; at most 28) before the date against the N days from it, and whether the change is larger than the group's usual week-to-week variation
reports-no-groups = You administer no group I have seen you in. Send /{ $command } in the group itself.
stats-button-charts = 📈 Charts
stats-charts-caption = 📈 { $group } · { $period }
chart-offset-day = D{ $n }
chart-offset-week = W{ $n }

retention-title-weeks = 📈 <b>Retention by join week</b> · { $group } · weeks from { $start } to { $end }
retention-title-days = 📈 <b>Retention by join day</b> · { $group } · { $start } – { $end }
retention-no-data = Not enough data yet: no member I saw joined in this period.
retention-cohorts = { $cohorts ->
        [one] 1 cohort
       *[other] { $cohorts } cohorts
    }, { $joined } members joined.
retention-average = Average: { $rates }
retention-table-weeks = Share of each week's newcomers active in week n after it (· not yet):
retention-table-days = Share of each day's newcomers active n days later (· not yet):
retention-latest = The latest { $shown } of { $cohorts } cohorts; the average counts them all.
retention-how-weeks = <i>The average counts only the cohorts whose week n is over (this week is not). The picture has all eight weeks; /retention days shows D1/D7/D14/D30.</i>
retention-how-days = <i>The average counts only the cohorts whose day n is over (today is not): D30 needs members who joined 31 days ago or earlier — try /retention days { $example }. By week: /retention weeks.</i>
retention-error-word = Unknown “{ $word }”. Try /retention weeks, /retention days, or add a period: /retention days 2026-10-01..2026-10-31.

funnel-title = 🪜 <b>From joining to redeeming</b> · { $group } · joined { $start } – { $end } ({ $days } days)
funnel-no-data = Not enough data yet: no member I saw joined in this period.
funnel-joined = 👋 Joined: <b>{ $count }</b>
funnel-step-checkin = ✅ First check-in: <b>{ $count }</b> · { $of_joined } of those who joined ({ $of_above } of the step above)
funnel-step-streak3 = 🔥 3-day streak: <b>{ $count }</b> · { $of_joined } ({ $of_above })
funnel-step-streak7 = 🏅 7-day streak: <b>{ $count }</b> · { $of_joined } ({ $of_above })
funnel-step-redeem = 🎁 First redemption: <b>{ $count }</b> · { $of_joined } ({ $of_above })
funnel-how = <i>Each step counts once per member, reached at any time after joining until today ({ $today }): members who joined late in the period have had less time.</i>

compare-title = ⚖️ <b>Before and after { $day }</b> · { $group }
compare-windows = The { $days } days before ({ $before_start } – { $before_end }) against the { $days } days from it ({ $after_start } – { $after_end }), a day on average:
compare-metric-dau = 🔥 Active members: { $before } → <b>{ $after }</b> ({ $change }) { $usual } — { $verdict }
compare-metric-messages = 💬 Messages: { $before } → <b>{ $after }</b> ({ $change }) { $usual } — { $verdict }
compare-metric-checkins = ✅ Check-ins: { $before } → <b>{ $after }</b> ({ $change }) { $usual } — { $verdict }
compare-metric-joined = 👋 Joined: { $before } → <b>{ $after }</b> ({ $change }) { $usual } — { $verdict }
compare-metric-left = 🚪 Left: { $before } → <b>{ $after }</b> ({ $change }) { $usual } — { $verdict }
compare-usual = · usual { $usual } ± { $band }
compare-verdict-up = 📈 a clear increase
compare-verdict-down = 📉 a clear decrease
compare-verdict-none = no clear change
compare-verdict-history = ⏳ not enough history to judge
compare-how = <i>“Usual”: the typical change between two consecutive { $days }-day windows in the 91 days before the date (the median), and the range of ordinary changes around it (2 robust standard deviations). A change outside that range is clear; judging needs at least 14 such pairs of windows before the date.</i>
compare-no-data = Not enough data yet: I have no numbers for this group in that time.
compare-no-data-since = Not enough data yet: I have counted this group since { $first }, so the days before the date are not all covered.
compare-usage = Write the date of the change, and optionally how many days to compare (7 if not said; at most 28): /compare 2026-11-20 or /compare 2026-11-20 14.
compare-error-days = “{ $word }” is not a number of days from 1 to { $max }.
compare-error-too-old = That date is more than { $max } days ago: compare within the last year.
compare-error-not-over = The { $days } days from { $start } end on { $end }, which is not over yet. { $fits ->
        [0] Ask again once they are.
       *[other] Ask again then, or compare { $fits } days now: /compare { $start } { $fits }.
    }
