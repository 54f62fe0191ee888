cmd-goal = Set goals and the North Star
example-goal = /goal set dau 500 by 2027-03-31
help-goal = — progress bars and whether the trend gets there; set &lt;metric&gt; &lt;target&gt; [by &lt;YYYY-MM-DD&gt;], star &lt;metric&gt; (the North Star, shown first), del &lt;metric&gt;, report (the weekly report of the last 7 days, now, in private). Metrics: members, dau, wau, mau, stickiness, d7, checkin_rate, messages

goal-metric-members = Members
goal-metric-dau = DAU (7-day average)
goal-metric-wau = WAU
goal-metric-mau = MAU
goal-metric-stickiness = Stickiness DAU/MAU (7-day average)
goal-metric-d7 = D7 retention of newcomers
goal-metric-checkin_rate = Check-in rate (7-day average)
goal-metric-messages = Messages a day (7-day average)
goal-unit-pp = {" "}pp

goal-title = 🎯 <b>Goals of { $group }</b>
goal-none = 🎯 { $group } has no goals yet. Set one: <code>/goal set dau 500 by 2027-03-31</code> (members, dau, wau, mau, stickiness, d7, checkin_rate, messages). The first goal is the North Star.
goal-line = <b>{ $metric }</b>: { $current } of { $target }{ $has_due ->
        [yes] {" "}by { $due }
       *[other] {""}
    }
goal-line-star = ⭐ <b>North Star — { $metric }</b>: { $current } of { $target }{ $has_due ->
        [yes] {" "}by { $due }
       *[other] {""}
    }
goal-star-short = ⭐ North Star — { $metric }: { $current } of { $target } · { $bar }
goal-footnote = <i>Values up to yesterday (today is not over). The trend is a straight line through the recent days: a rough guide, not a forecast.</i>
goal-outlook-reached = ✅ Reached.
goal-outlook-no-trend = ℹ️ Not enough data yet for a trend (a week of values needed).
goal-outlook-on-track = 📈 On track: at { $pace } a day the trend gives { $projected } by then ({ $days } days of data).
goal-outlook-behind = ⚠️ Behind: at { $pace } a day the trend gives { $projected } by then; it needs { $needed } a day ({ $days } days of data).
goal-outlook-eta = 📈 At { $pace } a day the trend gets there around { $date } ({ $days } days of data).
goal-outlook-not-closer = ⚠️ Not getting closer: the trend is { $pace } a day ({ $days } days of data).
goal-button-star = ⭐ { $metric }
goal-button-delete = 🗑 { $metric }
goal-set = 🎯 Goal set: { $metric } → { $target }.
goal-set-star = 🎯 Goal set: { $metric } → { $target }. It is the North Star.
goal-deleted = 🗑 Goal deleted: { $metric }.
goal-starred = ⭐ The North Star is now: { $metric }.
goal-usage = Usage: <code>/goal</code> · <code>/goal set &lt;metric&gt; &lt;target&gt; [by YYYY-MM-DD]</code> · <code>/goal star &lt;metric&gt;</code> · <code>/goal del &lt;metric&gt;</code> · <code>/goal report</code>
goal-error-metric = “{ $word }” is not a metric I keep{ $guess ->
        [none] .
       *[other] {""} — did you mean { $guess }?
    } Metrics: { $metrics }.
goal-error-target = “{ $word }” is not a target: a number such as 500, 2k or 1.5万; rates as 25% (or 0.25).
goal-error-not-positive = “{ $word }”: a target must be above 0.
goal-error-rate-too-high = “{ $word }”: a rate cannot be over 100%.
goal-error-date = “{ $word }” is not a date: use YYYY-MM-DD, e.g. <code>by 2027-03-31</code>.
goal-error-past = { $date } is not in the future (today is { $today }): a goal needs a day ahead.
goal-error-too-far = { $date } is more than three years away.
goal-error-none = There is no goal for { $metric }: set one with <code>/goal set { $metric } …</code>

settings-section-weekly = 🗓 <b>Weekly report</b>
settings-label-weekly_report = Weekly report to admins (in private)
settings-value-weekly_report = { $value ->
        [on] on
       *[other] off
    }
settings-label-weekly_report_day = Sent on
settings-value-weekly_report_day = { $value ->
        [mon] Monday
        [tue] Tuesday
        [wed] Wednesday
        [thu] Thursday
        [fri] Friday
        [sat] Saturday
       *[sun] Sunday
    }
settings-label-weekly_report_time = At (group time)
settings-value-weekly_report_time = { $value }

weekly-title = 🗓 <b>Weekly report · { $group }</b> · { $start } – { $end }
weekly-no-data = Not enough data yet: the bot has not counted a whole week of this group.
weekly-goals = 🎯 <b>North Star and goals</b>
weekly-no-goals = 🎯 No goals yet: <code>/goal set dau 500</code> in the group sets one.
weekly-segments = 🧭 <b>Segments</b> (change in a week)
weekly-stage = { $stage }: { $count } ({ $change })
weekly-risk-baseline = 🚨 <b>Most at risk</b> (baseline: quiet the longest, most valuable first)
weekly-risk-model = 🚨 <b>Most at risk</b> ({ $model })
weekly-risk-none = Nobody is drifting away right now.
weekly-risk-chance = {" "}· { $value } likely active next week
weekly-risk-line = { $rank }. { $name } — { $level }{ $chance }: { $reasons }
weekly-posts = 📣 <b>Posts with 👍</b> (👍 per member who could see it)
weekly-posts-none = No post with a 👍 button (A/B variants) was sent this week.
weekly-post-best = Best: #{ $id } { $variant } “{ $text }” — { $votes } 👍 of { $views } ({ $rate })
weekly-post-worst = Worst: #{ $id } { $variant } “{ $text }” — { $votes } 👍 of { $views } ({ $rate })
weekly-feedback = 💬 Feedback: { $open } open, { $new } new this week. /inbox in the group answers them.
weekly-charts-caption = The last two weeks
weekly-preview-sent = 📬 I sent you the weekly report of the last 7 days in private.
weekly-preview-start = I can't write to you in private yet: open a chat with @{ $bot }, press Start, then ask again.
weekly-risk-separator = {"; "}
