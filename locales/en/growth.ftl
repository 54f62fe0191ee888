cmd-invite = Get your personal invite link
help-invite = — your own link to the group: when someone joins through it, checks in and stays 3 days, you both get points. In private: pick the group
cmd-onboarding = Questions for join requests
example-invite = /invite
example-onboarding = /onboarding add city | Which city are you in? | Shanghai, Beijing, Other
help-onboarding = — the panel; on | off, approve auto | admins, add &lt;field&gt; | &lt;question&gt; [| &lt;option&gt;, &lt;option&gt; …], remove &lt;n&gt;, move &lt;n&gt; &lt;to&gt;, pending

settings-section-invites = 🤝 <b>Invites</b>
settings-label-invites = /invite links and rewards
settings-value-invites = { $value ->
        [on] on
       *[other] off
    }
settings-label-invite_points = Points for the inviter and the newcomer each
settings-value-invite_points = { $value } (0: none)
settings-label-invite_daily_cap = Paid invites per inviter per day (max)
settings-value-invite_daily_cap = { $value }
settings-section-onboarding = 🧭 <b>Onboarding of join requests</b>
settings-label-onboarding = Questionnaire for join requests
settings-value-onboarding = { $value ->
        [on] on
       *[other] off
    }
settings-label-onboarding_approve = After the questions
settings-value-onboarding_approve = { $value ->
        [auto] I approve
       *[other] admins decide
    }

invite-link = 🔗 Your personal invite link to <b>{ $group }</b>:
    { $link }
invite-rule = 🎁 When someone joins through it, checks in and stays 3 days, you both get { $points } points.
invite-rule-no-points = When someone joins through it, checks in and stays 3 days, it counts as your invite.
invite-count = 🤝 Your successful invites: { $counted }{ $waiting ->
        [0] {""}
       *[other] {" "}({ $waiting } on the way)
    }
invite-sent-private = 🔗 I sent you your invite link in private.
invite-pick-group = Which group is the invite link for?
invite-no-groups = I don't know you from a group with invites on. Use /invite in the group.
invite-stale = That choice is no longer valid.
invite-off = Invites are off in this group (admins: <code>/settings invites on</code>).
invite-error-not-admin = I can't make invite links here: I'm not an administrator of this group.
    Admins: make me an administrator with the “Invite users via link” right, then /invite works.
invite-error-no-right = I can't make invite links here: I'm an administrator without the “Invite users via link” right.
    Admins: give me that right, then /invite works.
invite-error-rights = Telegram did not let me make an invite link here. Admins: check that I'm an administrator with the “Invite users via link” right.
invite-error-anonymous = An invite link is personal: send /invite as yourself, not as the group.
invite-error-failed = Telegram did not make the link just now; please try again in a minute.
invite-paid-inviter = 🎉 { $newcomer } joined through your link and has checked in: +{ $points } points for you! Successful invites: { $invites }.
invite-paid-capped = 🎉 { $newcomer } joined through your link: it counts as your invite ({ $invites } in all), but without points — today's limit of { $cap } paid invites is reached.
invite-counted = 🎉 { $newcomer } joined through your link: it counts as your invite ({ $invites } in all).
invite-paid-newcomer = 🎁 Welcome bonus: +{ $points } points for joining through { $inviter }'s invite and checking in.
invite-paid-group = 🤝 { $inviter } brought { $newcomer } to the group{ $newcomer_points ->
        [0] .
       *[other] : +{ $newcomer_points } points for { $newcomer }{ $inviter_points ->
            [0] .
           *[other] , +{ $inviter_points } for { $inviter }.
        }
    }
digest-invite = 🤝 { $inviter } → { $newcomer }
top-title-invites = 🤝 <b>Top inviters</b> (newcomers who stayed 3 days and checked in)
export-invites = 📄 Invites: { $count } rows (UTF-8 CSV, times in UTC; rewarded: yes, capped, off, pending, left).
export-onboarding = 📄 Onboarding answers: { $count } members (UTF-8 CSV, times in UTC).

onboarding-intro = 👋 Hi! Before you join the group: { $count ->
        [1] one short question
       *[other] { $count } short questions
    }, please answer within { $minutes } minutes.
onboarding-question = <b>{ $number }/{ $count }.</b> { $prompt }
onboarding-text-hint = ✍️ Reply with a message (up to { $max } characters).
onboarding-chosen = ✅ { $value }
onboarding-done-approve = ✅ Thank you! You'll be in <b>{ $group }</b> in a moment.
onboarding-done-review = ✅ Thank you! An administrator of <b>{ $group }</b> will look at your request soon.
onboarding-timed-out = ⏰ Time's up. An administrator of <b>{ $group }</b> will look at your request and your answers.
onboarding-use-buttons = Please tap one of the buttons above.
onboarding-error-not-yours = These are someone else's questions.
onboarding-error-over = This questionnaire is finished.
onboarding-error-stale = That question was answered already.
onboarding-error-unknown-request = That join request is unknown (or no longer pending).
onboarding-error-bad-option = That is not one of the options.
onboarding-error-answer-long = Please keep your answer within { $max } characters and send it again.
onboarding-error-answer-empty = Please answer with some text.

onboarding-review = 📝 <b>Join request</b> to <b>{ $group }</b> ({ $answered }/{ $count } answered) from
onboarding-review-timed-out = ⏰ The questionnaire was not finished in time.
onboarding-no-answers = (no answers)
onboarding-review-group = 📝 A join request from { $name } waits for an administrator ({ $answered }/{ $count } answered). Admins: send me /start in private to get each request with its answers, or use <code>/onboarding pending</code>.
onboarding-button-approve = ✅ Approve
onboarding-button-decline = ❌ Decline
onboarding-status-approved = ✅ Approved by { $admin }.
onboarding-status-declined = ❌ Declined by { $admin }.
onboarding-status-closed = This request is no longer pending.
onboarding-decided-already = This request was decided already.
onboarding-error-rights = Telegram refused: I need to be an administrator with the “Invite users via link” right to approve or decline requests.
onboarding-error-telegram = Telegram did not answer; please try again.

onboarding-panel-title = 🧭 <b>Onboarding of join requests</b>
onboarding-panel-state = Questionnaire: { $state ->
        [on] ✅ on
       *[other] ⏸ off
    }
onboarding-panel-mode = After the questions: { $mode ->
        [auto] 🤖 I approve
       *[other] 👤 admins decide
    }
onboarding-no-questions = No questions yet: requests are approved (or left to the admins) at once.
onboarding-question-line = { $number }. <b>{ $field }</b> ({ $kind }): { $prompt }
onboarding-kind-choice = buttons
onboarding-kind-text = text
onboarding-panel-waiting = 📋 Waiting for an administrator: { $count }
onboarding-approval-note = ℹ️ Join requests come only from links that require approval (Telegram: group → Invite links → “Request admin approval”; a public group: “Approve new members”). Members' /invite links require approval while onboarding is on.
onboarding-usage = One line: <code>/onboarding add city | Which city are you in? | Shanghai, Beijing, Other</code> (buttons), <code>/onboarding add intro | What brings you here?</code> (text), <code>/onboarding remove 2</code>, <code>/onboarding move 3 1</code>, <code>/onboarding pending</code>.
onboarding-button-on = ▶️ Turn on
onboarding-button-off = ⏸ Turn off
onboarding-button-auto = 🤖 I approve
onboarding-button-admins = 👤 Admins decide
onboarding-button-add-choice = ➕ Question with buttons
onboarding-button-add-text = ➕ Text question
onboarding-button-up = ⬆️ { $number }
onboarding-button-remove = 🗑 { $number }
onboarding-button-pending = 📋 Waiting ({ $count })
onboarding-prompt-choice = ➕ Reply to this message with the field, the question and the options:
    <code>city | Which city are you in? | Shanghai, Beijing, Shenzhen, Other</code>
    (2 to 10 options, each up to 40 characters)
onboarding-prompt-text = ➕ Reply to this message with the field and the question:
    <code>intro | What brings you here?</code>
onboarding-added = ➕ Question { $number } added: { $prompt }
onboarding-removed = 🗑 Question { $number } removed: { $prompt }
onboarding-moved = ↕️ Question { $number } moved to place { $to }.
onboarding-switched = { $state ->
        [on] ✅ Onboarding is on.
       *[other] ⏸ Onboarding is off: join requests are left to the admins.
    }
onboarding-mode-set = { $mode ->
        [auto] 🤖 I approve requests after the questions.
       *[other] 👤 Admins decide each request; I send them the answers.
    }
onboarding-pending = 📋 Requests waiting for an administrator: { $count }{ $count ->
        [0] {""}
       *[other] {" "}(the oldest { $shown } below)
    }
onboarding-error-form = Write the question as <code>field | question</code> (text) or <code>field | question | option, option, …</code> (buttons). Nothing was changed.
onboarding-error-field = “{ $field }” can't name a field: letters, digits and _, at most { $max }, not starting with a digit. Nothing was changed.
onboarding-error-prompt-long = A question may have at most { $max } characters. Nothing was changed.
onboarding-error-options = A question with buttons needs { $min } to { $max } options (this one has { $count }). Nothing was changed.
onboarding-error-option-long = An option may have at most { $max } characters (“{ $option }”). Nothing was changed.
onboarding-error-option-twice = The option “{ $option }” is there twice. Nothing was changed.
onboarding-error-field-twice = A question already fills the field “{ $field }”. Nothing was changed.
onboarding-error-too-many = At most { $max } questions. Nothing was changed.
onboarding-error-no-question = There is no question { $number } (there are { $count }).
onboarding-error-term = “{ $term }” is not a field term: write <code>field:city=Shanghai</code>.

whois-invited-by = 🤝 Invited by { $name } ({ $date }; { $outcome ->
        [yes] counted, both paid
        [capped] counted
        [off] counted
        [left] left within 3 days
       *[other] not counted yet
    })
whois-invites = 🤝 Brought { $counted } newcomers{ $waiting ->
        [0] {""}
       *[other] {" "}(+{ $waiting } on the way)
    }
