cmd-campaign = Message selected members in private
help-campaign = — &lt;selector&gt; [claim=&lt;points&gt;] [link=&lt;url&gt;] [at=&lt;time&gt;] [holdout=&lt;percent&gt;] &lt;text with {"{"}name{"}"}&gt;, or in reply to a message to copy it; &lt;n&gt;: the report
cmd-campaigns = List campaigns with their status
cmd-unsubscribe = Stop campaign messages
cmd-subscribe = Receive campaign messages again
example-campaign = /campaign dormant+tag:vip claim=20 Hi {"{"}name{"}"}, we miss you!
example-campaigns = /campaigns
example-unsubscribe = /unsubscribe
example-subscribe = /subscribe

settings-section-campaigns = 📣 <b>Campaigns</b>
settings-label-campaign_quiet = Quiet hours (campaign messages wait)
settings-value-campaign_quiet = { $value ->
        [off] none
       *[other] { $value }
    }
settings-label-campaign_cap = Campaign messages per member in 7 days (max)
settings-value-campaign_cap = { $value }
settings-label-campaign_holdout = Control group (never messaged)
settings-value-campaign_holdout = { $value }%
settings-label-reactivation = A friendly message to members who went dormant
settings-value-reactivation = { $value ->
        [on] on
       *[other] off
    }
settings-label-reactivation_bonus = Points for checking in within 3 days of it
settings-value-reactivation_bonus = { $value } (0: none)

campaign-guide-audience = 📣 <b>Campaigns</b>: a private message to the members a selector picks, with a control group that gets nothing, so the report can say whether it worked.
    <code>/campaign dormant+tag:vip Hi {"{"}name{"}"}, we miss you!</code>
    Options before the text: <code>claim=20</code> (a button: 20 points, once per member), <code>link=https://…</code> (a link button), <code>at=09:00</code> or <code>at=+2h</code> (later), <code>holdout=20</code> (control group %).
    Reply to a message (a photo, say) with <code>/campaign new,returned</code> to send a copy of it.
    You see the audience, who can be reached and a sample before you confirm. <code>/campaigns</code>: the list; <code>/campaign 3</code>: the report of campaign 3.
    <b>Who should get it?</b> Tap an audience, or reply to this message with a selector (<code>dormant+tag:vip</code>, <code>field:city=上海</code>).
campaign-guide-message = <b>What should it say?</b> Reply to this message with the text ({"{"}name{"}"} becomes each member's name), or with a photo, a video or any message to send a copy of it.
campaign-guide-button = <b>A button under it?</b> Tap one, or reply to this message with a link (https://…) for a link button.
campaign-guide-when = <b>When?</b> Tap one, or reply with a time of the group (<code>18:30</code>, <code>2026-12-24T18:00</code>, <code>+2h</code>). Quiet hours are respected either way.
campaign-guide-no-button = No button
campaign-guide-now = Now
campaign-guide-in-hour = In an hour
campaign-guide-tomorrow = Tomorrow 09:00
campaign-guide-stale = That question was already answered.
campaign-error = That campaign could not be made.
campaign-error-option = “{ $option }” is not a valid option: claim=1…10000, holdout=0…50.
campaign-error-no-message = What should the message say? Write it after the audience, or reply to a message to copy it.
campaign-error-too-long = The message is too long: { $length } characters with a long name, Telegram takes { $max }.
campaign-error-link = A link must start with http:// or https://.
campaign-error-when = I don't understand that time. Use at=09:00, at=2026-12-24T18:00 or at=+2h.
campaign-error-empty = Nobody in this group matches that audience: nothing to send.
campaign-error-too-large = That audience is larger than { $max } members; narrow it down.
campaign-error-confirmed = This campaign was already confirmed: nothing is sent twice.
campaign-error-unknown = There is no campaign { $number } in this group. <code>/campaigns</code> lists them.
campaign-error-state = Not possible now: the campaign is { $status ->
        [draft] a draft
        [scheduled] scheduled
        [sending] sending
        [paused] paused
        [done] finished
       *[other] cancelled
    }.
campaign-claim-refused = This button is not for you, or the offer is over.
campaign-claim-already = You have already claimed these points.
campaign-claimed = 🎁 { $points } points are yours!

campaign-button-confirm = ✅ Confirm and send
campaign-button-cancel = ✖️ Cancel
campaign-button-pause = ⏸ Pause
campaign-button-resume = ▶️ Resume
campaign-button-stop = ⏹ Stop
campaign-button-claim = 🎁 Claim { $points } points
campaign-button-link = 🔗 Open

campaign-preview-title = 📣 <b>Campaign preview</b>
campaign-preview-audience = Audience: { $audience } · control group { $holdout } ({ $percent }%, never messaged)
campaign-preview-reach = Reachable now: { $reachable } (not reachable: { $unreachable } never started the bot or blocked it · { $opted_out } unsubscribed · { $capped } over the weekly cap)
campaign-preview-claim = Button: claim { $points } points (once per member)
campaign-preview-link = Button: link to { $url }
campaign-preview-no-button = No button.
campaign-preview-when = Sends at { $when } (group time), outside quiet hours.
campaign-preview-now = Sends now, outside quiet hours.
campaign-preview-sample = Sample (for a member named Alex):
campaign-preview-copy = The message: a copy of the message you replied to.
campaign-preview-confirm = Nothing is sent until you confirm.
campaign-draft-cancelled = ✖️ Campaign cancelled: nothing was sent.
campaign-pressed-c = Confirmed
campaign-pressed-x = Stopped
campaign-pressed-p = Paused
campaign-pressed-r = Resumed

campaign-status-draft = draft
campaign-status-scheduled = scheduled
campaign-status-sending = sending
campaign-status-paused = paused
campaign-status-done = finished
campaign-status-cancelled = cancelled
campaign-kind-campaign = campaign
campaign-kind-reactivation = reactivation

campaign-progress = 📣 Campaign { $number } ({ $status }): sent { $sent } / { $total } · blocked { $blocked } · skipped { $skipped } · { $done } handled
campaign-progress-unknown = { $unknown } unknown (a restart cut them off; never sent again)
campaign-progress-quiet = ⏳ waiting for quiet hours to end ({ $until })
campaign-progress-done = Report: <code>/campaign { $number }</code>

campaigns-none = No campaigns yet. <code>/campaign</code> shows how to start one.
campaigns-title = 📣 <b>Campaigns</b>
campaigns-line = { $number }. { $kind } · { $status } · { $audience } members · <code>{ $selector }</code> · { $when }
campaigns-hint = <code>/campaign &lt;n&gt;</code>: the report · <code>/export campaign &lt;n&gt;</code>: every member's row

campaign-report-title = 📣 <b>Campaign { $number }</b> ({ $kind }, { $status })
campaign-report-audience = Audience <code>{ $selector }</code>: { $audience } members
campaign-report-delivery = Sent { $sent } · blocked { $blocked } · failed { $failed } · skipped { $skipped } · unknown { $unknown } · waiting { $pending } · control group { $holdout }
campaign-report-window = <b>Active again within 7 days</b> ({ $first } – { $last }, { $days } of 7 days so far), everyone as assigned:
campaign-report-treated = • messaged group: { $count } of { $members } ({ $rate }, 95% interval { $low }–{ $high })
campaign-report-holdout = • control group: { $count } of { $members } ({ $rate }, { $low }–{ $high })
campaign-report-claims = • claims: { $count } of { $members } in the messaged group ({ $rate }, { $low }–{ $high })
campaign-report-no-stats = (statistics unavailable right now; the counts above are exact)
campaign-report-not-enough = Not enough data yet for a verdict (at least { $min } members in each group and { $events } active members in all).
campaign-report-difference = Difference: { $diff } points (95% interval { $low } to { $high })
campaign-report-effect-up = ✅ The campaign brought members back: the whole interval is above zero.
campaign-report-effect-down = ⚠️ The messaged group did worse than the control group.
campaign-report-no-effect = No clear effect: the interval includes zero.

campaign-footer = <i>/unsubscribe: no more of these messages</i>
campaign-unsubscribed = 🔕 You will get no more campaign messages. Replies and codes still arrive. /subscribe to change your mind.
campaign-unsubscribed-already = 🔕 You were already unsubscribed from campaign messages.
campaign-subscribed = 🔔 You will receive campaign messages again.
campaign-subscribed-already = 🔔 You already receive campaign messages.
export-campaign = 📄 Campaign: { $count } rows (UTF-8 CSV, times in UTC; status: sent, blocked, failed, skipped, unknown, holdout; active_within_7d: 1 or 0).

reactivation-message = 👋 Hi {"{"}name{"}"}, we haven't seen you in <b>{ $group }</b> for a while — we miss you! Drop by and say hello, or check in there to pick up your streak again.
reactivation-bonus = 🎁 Check in within 3 days and get { $points } bonus points.
campaign-progress-source-gone = ⚠️ Stopped: the message to copy was deleted. Send the campaign again with a message that exists.
