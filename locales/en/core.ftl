## Commands menu
cmd-start = Start and see what I can do
cmd-help = Show what you can do here
cmd-checkin = Check in for today
cmd-me = Show your points, streak and rank
cmd-top = Show the leaderboard
cmd-settings = Change the group's settings
cmd-grant = Give points to a member
cmd-deduct = Take points from a member
cmd-export = Export data as CSV files

## Start and help
start = Hi { $name }! I run this community's check-ins, points and leaderboards.
help-title-private = <b>What you can do here</b>
help-title-member = <b>Member commands</b>
help-in-group =
    In your group: { $commands }.
    To use me in a group, add me and (recommended) make me an admin.
help-checkin = or just send 签到 / 打卡 (a photo with that caption counts too) — once a day; consecutive days build your streak
help-me = — in a group, your numbers there; in private, in every group
help-top = [streak | checkins | week | month] — points unless you name another board
help-grant = &lt;amount&gt; [reason] — reply to a member's message, or add @username or an id
help-deduct = &lt;amount&gt; [reason] — reply to a member's message, or add @username or an id
help-settings = [&lt;key&gt; &lt;value&gt;] — alone, buttons; keys such as timezone, day_start, language, checkin_points
help-export = members | ledger | redemptions | feedback | survey &lt;n&gt; | daily [period] — one CSV file
help-note-activity = Chatting also earns a few points (messages of some length, with a cooldown).

group-welcome =
    Hello, { $title }! 👋 I'm your community assistant.
    Members: send /checkin (or 签到 / 打卡) once a day to build a streak and earn points; /me shows your numbers, /top the leaderboard.
    Admins: /settings to set the timezone, language and points. For keyword check-ins and activity points, make me an admin or turn privacy mode off in @BotFather.

## Check-in
checkin-done = ✅ { $name } checked in — streak { $streak } { $streak ->
        [one] day
       *[other] days
    }, +{ $points } points, balance { $balance }. You are the { $position } today.
checkin-bonus = 🎉 Streak bonus for { $streak } days: +{ $bonus } points!
checkin-already = { $name }, you have already checked in today — streak { $streak }, balance { $balance }. See you tomorrow!
checkin-digest = ✅ { $count } checked in today. Latest: { $names }
digest-more-notices = …and { $count } more

## Profile
profile-name = <b>{ $name }</b>
profile =
    📍 { $group }
    Points: { $points } · Rank: #{ $rank }
    Streak: { $streak } (best { $best }) · Check-ins: { $checkins }
    Checked in today: { $today ->
        [yes] yes
       *[no] not yet
    }
profile-no-groups = You have no points in any group yet. Check in with /checkin in your community's group.

## Errors
error-generic = Sorry, that did not work.
error-unexpected = Sorry, something went wrong on my side. Please try again in a moment.
error-not-admin = Only group administrators can do that.
error-group-only = This command works in a group. Use it in your community's group chat.
error-private-only = Please send me this in a private chat: open @{ $bot } and press Start.
error-owner-only = Only the bot's owners can do that.
error-unknown-group = I don't know this group yet. Add me to it first.
error-invalid-setting = “{ $value }” is not a valid value for { $key }. Expected: { $hint }.
error-unknown-setting = There is no setting “{ $key }”. Settings: { $keys }.
error-invalid-amount = The amount must be a whole number from 1 to { $max }.
error-target-required = Who? Reply to the member's message, or give @username or a numeric id.
error-target-not-found = I don't know the member { $target } in this group.
error-insufficient-points = { $name } has only { $balance } points; cannot deduct { $amount }.
error-unknown-subcommand = Unknown option “{ $word }”. Try: { $options }.
error-text-too-long = That is too long (at most { $max } characters).
error-unknown-command = I don't know { $command }. Send /help to see what you can do.
error-stale-button = This button is no longer active.
error-not-a-person = You're posting as the group or a channel, so I can't tell who you are. Post as yourself to use this command.
