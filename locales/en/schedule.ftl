## Scheduled posts: /schedule, /posts, /unschedule
cmd-schedule = Schedule a post
cmd-posts = List the scheduled posts
cmd-unschedule = Delete a scheduled post
help-schedule = &lt;when&gt; &lt;text&gt; — e.g. <code>/schedule daily 08:00 Good morning</code>; reply to a message to schedule a copy of it
help-posts = — upcoming posts, with pause, resume, preview and delete buttons; <code>/posts 3</code> shows one
help-unschedule = &lt;id&gt; — delete a scheduled post

schedule-usage = 🗓 <b>Schedule a post</b>: <code>/schedule &lt;when&gt; &lt;text&gt;</code>, or reply to a message with <code>/schedule &lt;when&gt;</code> to post a copy of it (photos, files, polls too).
    When, in the group's timezone, as you would say it:
    • <code>in 10 minutes</code>, <code>tomorrow 9:00</code>, <code>3pm</code>, <code>30分钟后</code>, <code>明天 9点</code>, <code>下午3点</code> — once
    • <code>every monday 19:00</code>, <code>every weekday 9:00</code>, <code>每天 8:00</code>, <code>每周一 19:00</code>, <code>工作日 9:00</code> — again and again
    or exactly:
    • <code>2026-12-01 09:30</code> — once
    • <code>08:00</code> — the next time it is 08:00
    • <code>+30m</code>, <code>+2h</code>, <code>+45s</code> — from now
    • <code>daily 08:00</code>, <code>weekly mon,thu 19:00</code>, <code>monthly 1 10:00</code>
    • <code>cron "0 8 * * 1-5"</code> — a crontab line (minute hour day month weekday)
    • <code>every 2h</code> — at a fixed interval
    Several texts separated by <code>||</code> are posted in turn (A/B), with a 👍 button that counts per text (<code>/posts &lt;id&gt;</code>).
    Or tap a time below, then reply to my message with the post.
schedule-unschedule-usage = Which post? <code>/unschedule &lt;id&gt;</code> (ids are in /posts).
schedule-created = ✅ Post #{ $id } scheduled: { $desc }. Next: <b>{ $next }</b> ({ $tz }).
schedule-deleted = 🗑 Post #{ $id } deleted.
schedule-paused = ⏸ Post #{ $id } paused.
schedule-resumed = ▶️ Post #{ $id } resumed.
schedule-preview = 👁 Preview of post #{ $id }:
schedule-preview-sent = Preview of #{ $id } sent.
schedule-skipped = ⏰ Post #{ $id } was due at { $due } while I was offline and is { $grace ->
        [0] late
       *[other] more than { $grace } min late
    }: skipped{ $missed ->
        [1] {""}
       *[other] {" "}({ $missed } occurrences)
    }.
schedule-list-title = 🗓 <b>Scheduled posts</b> ({ $count }; times in { $tz })
schedule-list-empty = No scheduled posts. Create one with <code>/schedule daily 08:00 Good morning</code>.
schedule-list-more = …and { $n } more.
schedule-line = { $state } <b>#{ $id }</b> { $desc } — next: { $next }{ $topic ->
        [yes] {" "}(topic)
       *[no] {""}
    }
    { $summary }
schedule-none = —
schedule-copy-of = (a copy of message { $id })
schedule-button-pause = ⏸ #{ $id }
schedule-button-resume = ▶️ #{ $id }
schedule-button-preview = 👁 #{ $id }
schedule-button-delete = 🗑 #{ $id }

schedule-useful = 👍 Useful
schedule-useful-counted = 👍 Thanks, counted.
schedule-useful-already = You said so already.

schedule-quick-0 = In 30 min
schedule-quick-1 = In 1 hour
schedule-quick-2 = In 3 hours
schedule-quick-3 = At 09:00
schedule-quick-4 = Daily 09:00
schedule-quick-5 = Mondays 10:00
schedule-draft = 🗓 { $desc }. Now reply to this message with the post: a text (reply again to add A/B variants), or any message (photo, file, poll) to post a copy of it.
schedule-draft-variants = 🗓 { $desc }. Texts so far (each occurrence posts the next one):
schedule-draft-variant = { $n }. { $summary }
schedule-draft-more = Reply to this message with another text to add a variant, or press ✅ to schedule.
schedule-draft-confirm = ✅ Schedule
schedule-draft-cancel = ✖ Cancel
schedule-draft-done = ✅ Post #{ $id } scheduled.
schedule-draft-gone = This draft is gone (it waited more than 30 minutes, or was used): start again with /schedule.
schedule-draft-cancelled = ✖ Cancelled: nothing was scheduled.
schedule-variant-added = ✍️ Variant { $n } saved. Reply to the prompt again for another, or press ✅ on it to schedule.
schedule-variant-text-only = Variants are texts: this post already has one. Reply with a text, or press ✅.
schedule-error-too-many-variants = A post has { $limit } variants at most.

schedule-desc-once = once, at { $at }
schedule-desc-daily = every day at { $time }
schedule-desc-weekly = every { $days } at { $time }
schedule-desc-monthly = on day { $day } of every month at { $time }
schedule-desc-monthly-last = on the last day of every month at { $time }
schedule-desc-cron = on the cron schedule “{ $expr }”
schedule-desc-every = every { $span }
schedule-day-sep = ,{" "}
schedule-day-0 = Monday
schedule-day-1 = Tuesday
schedule-day-2 = Wednesday
schedule-day-3 = Thursday
schedule-day-4 = Friday
schedule-day-5 = Saturday
schedule-day-6 = Sunday
schedule-seconds = { $n } s
schedule-minutes = { $n } min
schedule-hours = { $n ->
        [one] hour
       *[other] { $n } hours
    }
schedule-days = { $n ->
        [one] day
       *[other] { $n } days
    }

schedule-error-when = I don't understand when. { schedule-usage }
schedule-error-time = “{ $value }” is not a time: use 00:00 to 23:59, or say it, e.g. <code>7:30</code>, <code>7:30am</code>, <code>早上7点半</code>.
schedule-error-date = “{ $value }” is not a date: use YYYY-MM-DD.
schedule-error-past = That time has passed already.
schedule-error-too-far = That is too far ahead (a year at most for +…, five years for a date).
schedule-error-cron = “{ $value }” is not a valid cron line: five fields, minute (0–59) hour (0–23) day (1–31) month (1–12) weekday (0–7, 0 and 7 = Sunday), e.g. <code>cron "0 8 * * 1-5"</code>.
schedule-error-weekdays = Which days? Use mon,tue,wed,thu,fri,sat,sun (or 周一…周日), e.g. <code>weekly mon,thu 19:00</code>.
schedule-error-monthday = Which day of the month? 1–31 or <code>last</code>, e.g. <code>monthly 1 10:00</code>.
schedule-error-interval = The interval must be at least { $minimum } minutes.
schedule-error-empty = What should I post? Add the text after the time, or reply to a message.
schedule-error-too-long = That post is too long ({ $limit } characters at most).
schedule-error-not-found = There is no scheduled post #{ $id } in this group.
schedule-error-too-many = This group has { $limit } scheduled posts already: delete some first.
schedule-error-never = That schedule never comes: check the date.

settings-section-schedule = 🗓 <b>Scheduled posts</b>
settings-label-post_grace_minutes = Send late posts up to
settings-value-post_grace_minutes = { $value } min
settings-label-welcome_delete_minutes = Delete welcome messages after
settings-value-welcome_delete_minutes = { $value } min (0: never)
settings-label-birthday_points = Birthday points
settings-value-birthday_points = { $value }
birthday-bonus = 🎁 +{ $points } points each.
settings-label-anniversaries = Join anniversaries after the morning greeting
settings-value-anniversaries = { $value ->
        [on] on
       *[other] off
    }
anniversary-greeting = 🎉 Happy group anniversary!
anniversary-member = • { $name }: { $years ->
        [one] one year with us
       *[other] { $years } years with us
    }

## Welcome messages: /welcome
cmd-welcome = Set the welcome for newcomers
help-welcome = &lt;text&gt; — greet members who join, e.g. <code>/welcome Welcome {"{"}mention{"}"} to {"{"}group{"}"}!</code>; <code>/welcome off</code>
welcome-none = No welcome message is set. Set one with <code>/welcome &lt;text&gt;</code>; placeholders: { $placeholders }.
welcome-current = 👋 The welcome message (placeholders: { $placeholders }; <code>/welcome off</code> turns it off):
welcome-set = ✅ Welcome message saved. This is how it looks:
welcome-off = Welcome message turned off.
welcome-more = and { $n } more
welcome-error-empty = What should the welcome say? <code>/welcome Welcome {"{"}name{"}"}!</code>
welcome-error-too-long = That welcome is too long ({ $limit } characters at most).

## Daily greetings: /greeting
cmd-greeting = Set a daily morning or evening greeting
help-greeting = morning 07:30 &lt;text&gt; — a daily greeting (or <code>evening</code>); <code>/greeting morning off</code>; <code>/greeting holiday</code> for holiday greetings
greeting-usage = 🌅 <b>Daily greeting</b>: <code>/greeting morning 07:30 Good morning, everyone!</code> (or <code>evening</code>; the time may be <code>7:30am</code> or <code>早上7点半</code> too), in the group's timezone; <code>/greeting morning off</code> stops it. It shows in /posts.
greeting-kind-morning = morning greeting
greeting-kind-evening = evening greeting
greeting-set = ✅ The { $kind } goes out every day at { $time } (post #{ $id }). Next: <b>{ $next }</b> ({ $tz }).
greeting-off = The { $kind } is turned off.
greeting-none = There is no { $kind } to turn off.

## Birthdays: /birthday (private)
cmd-birthday = Save your birthday for a greeting
help-birthday = MM-DD — e.g. <code>/birthday 03-14</code>; your groups with a morning greeting congratulate you on the day; <code>/birthday off</code>
birthday-none = No birthday saved. Send <code>/birthday MM-DD</code>, e.g. <code>/birthday 03-14</code>.
birthday-current = 🎂 Your birthday: { $month }-{ $day }. <code>/birthday off</code> removes it.
birthday-set = 🎂 Saved: { $month }-{ $day }. Your groups with a morning greeting will congratulate you on the day.
birthday-off = Birthday removed.
birthday-error = “{ $value }” is not a birthday: use MM-DD, e.g. <code>/birthday 03-14</code>.
birthday-greeting = 🎂 Happy birthday{ $count ->
        [one] {""}
       *[other] {" "}to all { $count } of you
    }!

## Goodbye line: /goodbye
cmd-goodbye = Set the goodbye when a member leaves
help-goodbye = &lt;text&gt; — e.g. <code>/goodbye {"{"}name{"}"} has left. Bye!</code> (off by default); <code>/goodbye off</code>
goodbye-none = No goodbye line is set (the default). Set one with <code>/goodbye &lt;text&gt;</code>; placeholders: { $placeholders }.
goodbye-current = 👋 The goodbye line (placeholders: { $placeholders }; <code>/goodbye off</code> turns it off):
goodbye-set = ✅ Goodbye line saved. This is how it looks:
goodbye-off = Goodbye line turned off.
schedule-paused-by-move = ⏸ This group became a supergroup: posts { $ids } copy messages from before, which Telegram no longer lets me copy, so they are paused. Schedule them again from a new message (reply /schedule to it).
