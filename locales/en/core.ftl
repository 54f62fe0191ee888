## Commands menu
cmd-start = Start and see what I can do
cmd-help = What you can do here
cmd-checkin = Daily check-in
cmd-me = Your points, streak and rank
cmd-top = Leaderboard (points, streak, checkins, week, month)
cmd-settings = Group settings (admins)
cmd-grant = Give points to a member (admins)
cmd-deduct = Take points from a member (admins)
cmd-export = Export members or the ledger as CSV (admins)

## Start and help
start = Hi { $name }! I run this community's check-ins, points and leaderboards.
help-title-private = <b>What you can do here</b>
help-title-member = <b>Member commands</b>
help-title-admin = <b>Admin commands</b>
help-title-owner = <b>Owner commands</b>
help-in-group =
    In your group: { $commands }.
    To use me in a group, add me and (recommended) make me an admin.
help-checkin = or 签到 / 打卡 — daily check-in (builds your streak)
help-me = — your points, streak and rank (in private: in every group)
help-top = — leaderboard by points; /top streak, /top checkins, /top week, /top month
help-grant = &lt;amount&gt; [reason] — reply to a member's message, or add @username or an id
help-deduct = &lt;amount&gt; [reason] — the same, taking points away
help-settings = — show and change settings (timezone, day start, language, points…)
help-export = members | ledger | feedback | survey &lt;n&gt; | daily [period] — CSV files
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
