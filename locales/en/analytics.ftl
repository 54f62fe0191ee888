## /stats (core/analytics, handlers/analytics)
cmd-stats = See the community's numbers
example-stats = /stats 30d
help-stats = [7d | 30d | 90d | 2026-03-01..2026-03-31] — members, DAU/WAU/MAU, check-ins, messages, points, top contributors, against the period before (in private: pick a group)
stats-title = 📊 <b>{ $group }</b> · { $period }
stats-period-last = last { $days } days ({ $start } – { $end })
stats-period-range = { $start } – { $end } ({ $days } days)
stats-compared = <i>Changes against the { $days } days before ({ $start } – { $end }).</i>
stats-members = 👥 Members: <b>{ $members }</b> (net { $net }) · joined { $joined } { $joined_change } · left { $left } { $left_change }
stats-active = 🔥 Daily active (avg) <b>{ $dau }</b> { $dau_change } · weekly { $wau } { $wau_change } · monthly { $mau } { $mau_change }
stats-stickiness = 📌 Stickiness (DAU/MAU): { $value } { $change }
stats-checkins = ✅ Check-ins: { $checkins } { $change } · check-in rate { $rate } { $rate_change }
stats-messages = 💬 Messages: { $messages } { $change } from { $posters } { $posters_count ->
        [one] member
       *[other] members
    } { $posters_change }
stats-points = 🪙 Points issued { $issued } { $issued_change } · spent { $spent } { $spent_change }
stats-redemptions = 🎁 Redemptions: { $count } { $change }
stats-feedback = 📮 Feedback: { $new } new { $change } · { $open } open now
stats-top-title = 🏆 <b>Top contributors</b> (points earned in the period)
stats-top-line = { $rank }. { $name } — { $points } pts · { $messages } messages · active { $days } d
stats-change-up = ↑{ $value }
stats-change-down = ↓{ $value }
stats-change-same = →
stats-change-new = (new)
stats-pp = { $value } pts
stats-no-data = 📊 <b>{ $group }</b> · { $period }: not enough data yet. I count what members do from the moment I am in the group (check-ins, messages, buttons, joins); come back in a few days.
stats-note-seen = ℹ️ Only what I see is counted: members I have never seen are not in these numbers.
stats-note-partial = ⚠️ Partial numbers: privacy mode is on and I am not an administrator here, so I see commands only — chat messages and members who only chat are missing. Make me an administrator (or turn privacy off with @BotFather).
stats-note-no-admin = ℹ️ Reactions are counted only where I am an administrator.
stats-choose-group = 📊 Which group? You administer these:
stats-no-groups = You administer no group I have seen you in. Send /stats in the group itself.
stats-button-7d = 7 days
stats-button-30d = 30 days
stats-button-90d = 90 days
stats-button-groups = « Groups
stats-error-period = Unknown period “{ $word }”. Try 7d, 30d, 90d or a range such as 2026-03-01..2026-03-31.
stats-error-too-long = That is { $days } days; a report covers at most { $max } days.
stats-error-future = That period ends in the future (today is { $today } here).
stats-error-reversed = The period starts after it ends ({ $start } is after { $end }).
stats-error-date = “{ $word }” is not a date: write it as 2026-03-01.
export-daily = 📄 Daily numbers: { $count } days (UTF-8 CSV; local days of the group; rates as fractions 0–1).
