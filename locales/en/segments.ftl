## Segments, tags and member cards (#25 §3)
cmd-tag = Tag a member (vip, staff…)
cmd-untag = Remove a member's tags
cmd-tags = Tags of the group or a member
cmd-segments = Members by stage and tier
cmd-whois = A member's card
example-tag = /tag @alice vip
example-untag = /untag @alice vip
example-tags = /tags @alice
example-segments = /segments dormant+tag:vip
example-whois = /whois @alice
help-tag = @user|id tag… — or reply to the member; letters, digits, _ and -, up to 32 characters
help-untag = @user|id tag… — or reply to the member
help-tags = [@user] — the group's tags with counts, or a member's
help-segments = [selector] — counts per stage and tier; with a selector (dormant+tag:vip, new,returned, all-tag:staff) the members it picks
help-whois = @user|id — or reply: joined, last active, streak, points, level, stage, risk, tags

settings-section-segments = 🧭 <b>Segments</b>
settings-label-segment_new_days = New for
settings-label-segment_active_days = Active within
settings-label-segment_dormant_days = Dormant after
settings-label-segment_churned_days = Churned after
settings-label-segment_returned_days = Returned for
settings-label-tier_core_percent = Core tier: top
settings-label-tier_regular_percent = Regular tier: next
settings-value-segment_new_days = { $value } days after joining
settings-value-segment_active_days = the last { $value } days
settings-value-segment_dormant_days = { $value } quiet days
settings-value-segment_churned_days = { $value } quiet days
settings-value-segment_returned_days = { $value } days
settings-value-tier_core_percent = { $value }%
settings-value-tier_regular_percent = { $value }%

segment-stage-new = New
segment-stage-active = Active
segment-stage-returned = Returned
segment-stage-at_risk = At risk
segment-stage-dormant = Dormant
segment-stage-churned = Churned
segment-tier-core = Core
segment-tier-regular = Regular
segment-tier-casual = Casual

## Tags
tag-added = 🏷 { $name }: added { $added }. Tags: { $tags }
tag-unchanged = 🏷 { $name } already has that. Tags: { $tags }
tag-removed = 🏷 { $name }: removed { $removed }. Tags: { $tags }
tag-not-there = { $name } has no tag { $tags }.
tags-member-none-short = none
tags-none = No tags yet. Tag a member with <code>/tag @user vip</code> (or reply to their message with <code>/tag vip</code>).
tags-title = 🏷 Tags in this group ({ $count }), by members:
tags-line = • { $tag } — { $count }
tags-more = …and { $count } more.
tags-member = 🏷 { $name }: { $tags }
tags-member-none = { $name } has no tags.
tag-error-bad = “{ $tag }” is not a tag: use letters, digits, _ and - (up to { $max } characters), one word per tag.
tag-error-too-long = “{ $tag }” is too long for a tag: { $max } characters at most.
tag-error-none = Which tags? e.g. <code>/tag @user vip gold</code>.
tag-error-too-many = At most { $max } tags at once.
tag-error-member-limit = { $name } would have more than { $max } tags: remove some first.

## The member selector
selector-error = That selector does not parse.
selector-error-empty = Which members? e.g. <code>dormant+tag:vip</code>, <code>new,returned</code>, <code>all-tag:staff</code>.
selector-error-too-long = A selector is { $max } characters at most.
selector-error-too-many = A selector has { $max } terms at most.
selector-error-unknown = Unknown term “{ $term }” at position { $position }. Terms: new, active, returned, at_risk, dormant, churned, core, regular, casual, all, tag:name.
selector-error-unknown-suggest = Unknown term “{ $term }” at position { $position }; did you mean { $suggestion }?
selector-error-expected = A term is missing at position { $position } (after an operator).
selector-error-unexpected = Unexpected “{ $text }” at position { $position }: join terms with , (either) + (both) or - (without).
selector-error-paren = The parenthesis at position { $position } is not closed.
selector-error-value = “{ $term }” at position { $position } is not a valid term (a tag is letters, digits, _ and -).

## /segments
segments-title = 🧭 <b>Segments · { $title }</b>
    { $members } members · stages as of { $date }
segments-title-pending = 🧭 <b>Segments · { $title }</b>
    { $members } members · the first daily update is on its way
segments-stages = <b>Lifecycle</b>
segments-tiers = <b>Value</b> (points earned in 30 days)
segments-line = { $label } — { $count } · { $share }{ $change }
segments-change = { " " }({ $change } in a week)
segments-left = (+{ $count } who left)
segments-floor = · from { $points } points
segments-moves = <b>Moves in the week to { $date }</b>
segments-move = { $old } → { $new }: { $count }
segments-moves-none = No moves in the last week.
segments-moves-pending = Moves show after the first daily updates.
segments-hint = Tap a count to list its members. <code>/segments dormant+tag:vip</code> picks members by stages, tiers and tags: , either · + both · - without.
segments-list-title = 👥 <b>{ $selector }</b> — { $count } members
segments-unknown-tag = ⚠️ No member has the tag “{ $tag }”.
segments-list-empty = Nobody matches.
segments-list-end = No more members.
segments-list-line = · { $stage } · { $points } pts ({ $earned } in 30 d) · last active { $last }
segments-first = ⏮ First
segments-more = More ▶️
segments-export = ⬇️ CSV
segments-back = ↩️ Overview
segments-no-groups = You administer no group I know. Use /segments in your group.
segments-choose-group = Which group?
segments-exported = 👥 { $selector }: { $count } members
segments-export-sent = CSV sent.

## /whois
whois-title = 🪪 <b>{ $name }</b> · id { $id }
whois-title-username = 🪪 <b>{ $name }</b> <code>@{ $username }</code> · id { $id }
whois-joined = Joined { $date }
whois-first-seen = First seen { $date }
whois-never-active = Not active yet
whois-last-active = Last active { $date } ({ $days ->
        [0] today
        [1] yesterday
       *[other] { $days } days ago
    })
whois-left = 🚪 Left the group { $date }
whois-checkin-days = 📅 Check-in days in the last 30: { $days }
whois-streak = 🔥 Streak { $streak } (best { $best }) · { $checkins } check-ins
whois-points = 💰 { $points } points · { $lifetime } earned in all · level { $level } { $title }
whois-involvement = 🎁 { $redemptions } redemptions ({ $pending } pending) · 💬 { $feedback } feedback · 📋 { $surveys } surveys · 🗳 { $polls } polls
whois-stage = 🧭 Stage: { $stage }
whois-stage-since = 🧭 Stage: { $stage } since { $date }
whois-tier = 💎 Tier: { $tier } ({ $earned } points in 30 days)
whois-risk = ⚠️ Risk: { $level } — { $reasons }
whois-risk-plain = ⚠️ Risk: { $level }
whois-risk-low = low
whois-risk-medium = medium
whois-risk-high = high
whois-risk-lost = gone
whois-reason-left = left the group
whois-reason-quiet = no activity for { $days } days
whois-reason-streak-broken = a streak of { $streak } broke { $days ->
        [1] yesterday
       *[other] { $days } days ago
    }
whois-reason-no-checkin = no check-in for { $days } days
whois-reason-never-checked-in = never checked in
whois-reason-returned = back after a quiet spell
whois-reason-new = joined { $days ->
        [0] today
        [1] yesterday
       *[other] { $days } days ago
    }
whois-reason-active = active lately
whois-no-tags = 🏷 No tags
whois-tags = 🏷 { $tags }
whois-unknown = I know no member { $target } in a group you administer.
whois-choose-group = { $target } is in several of your groups. Which one?
