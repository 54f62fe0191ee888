cmd-feedback = Send feedback to the team
help-feedback = [text] — a suggestion, a problem, anything; alone for a guided form (a photo may come with it). Admins: <code>/feedback keywords</code> edits the words that propose a category
cmd-inbox = Open the feedback inbox
help-inbox = [new | progress | resolved] [feature | service | bug | other] — open, answer and close feedback

feedback-cat-feature = 💡 Feature
feedback-cat-service = 🤝 Service
feedback-cat-bug = 🐞 Bug
feedback-cat-other = 📝 Other
feedback-status-new = New
feedback-status-in_progress = In progress
feedback-status-resolved = Resolved
feedback-status-wontfix = Won't fix
feedback-priority-0 = Low
feedback-priority-1 = Normal
feedback-priority-2 = High
feedback-priority-3 = Urgent

feedback-error = Something is wrong with that feedback.
feedback-error-empty = Please write something: /feedback your text (or /feedback alone for a short form).
feedback-error-too-long = That is too long: { $length } characters, at most { $limit }. Nothing was saved; please shorten it.
feedback-error-daily-limit = Thank you! You have sent { $limit } pieces of feedback today, the most for one day. Please try again tomorrow.
feedback-error-no-group = I don't know which group this is about yet. Send /feedback in your group, or say something there first.
feedback-error-unknown-item = That feedback does not exist (any more).
feedback-error-not-manager = Only administrators of the feedback's group can do that.
feedback-error-nothing-open = Nothing is waiting for your answer. To send feedback, use /feedback.

feedback-received = 📮 Thanks! Your feedback is saved as <b>#{ $number }</b> ({ $group }), category { $category }. Wrong category? Tap another.
feedback-pick-group = Which group is your feedback about?
feedback-pick-category = What is it about? Pick a category (or just send your text).
feedback-send-text = { $category }: now send your feedback in one message (a photo with a caption is fine).
feedback-send-text-group = { $category }: now reply to this message with your feedback (a photo with a caption is fine).
feedback-stale = This form has expired. Send /feedback again.
feedback-not-yours = Only the author can change this feedback's category.
feedback-category-changed = Category changed.
feedback-answer-added = ✅ Added to your feedback #{ $number }; the team will see it.
feedback-member-answered = 💬 { $name } answered on feedback #{ $number }:
feedback-button-open = Open
feedback-button-reply = ✉️ Reply
feedback-button-back = « Back
feedback-filter-open = Open
feedback-filter-all = All
feedback-inbox-title = 📥 <b>Feedback inbox</b> — { $filters } ({ $groups ->
        [one] { $groups } group
       *[other] { $groups } groups
    })
feedback-inbox-empty = Nothing here. 🎉
feedback-inbox-line = <b>#{ $number }</b> · { $group } · { $category } · { $status } · { $priority } — { $name }: { $text }
feedback-item-title = <b>#{ $number }</b> · { $group }
    From { $name } · { $category }
    Status: { $status } · Priority: { $priority }
    Sent { $created }
feedback-thread-member = Member
feedback-item-attachments = 📎 { $count ->
        [one] { $count } photo
       *[other] { $count } photos
    }
feedback-status-set = Status: { $status }
feedback-priority-set = Priority: { $priority }
feedback-reply-now = ✉️ Send your reply to #{ $number } now, in one message.
feedback-reply-dm = 📮 The team answered your feedback #{ $number } ({ $group }):
feedback-reply-hint = Reply here to answer.
feedback-reply-sent = ✅ Reply to #{ $number } sent to { $name }.
feedback-closed-dm-resolved = ✅ Your feedback #{ $number } ({ $group }) has been resolved. Thank you!
feedback-closed-dm-wontfix = Your feedback #{ $number } ({ $group }) was closed without a change for now. Thank you for telling us.
export-feedback = 📄 Feedback: { $count } items (UTF-8 CSV, times in UTC).

cmd-survey = Post an NPS or satisfaction survey
help-survey = nps | csat &lt;question&gt; — post a survey; to have it close by itself, end with a last “|” and <code>until 18:00</code>, <code>until 2026-12-05 18:00</code> or <code>for 24h</code> (30m, 24h, 2d; the group's timezone). results | close &lt;number&gt;
survey-post-nps = 📊 <b>Survey #{ $number }</b>
    { $question }
    0 = not at all likely, 10 = extremely likely. Tap again to change your answer.
    Responses: { $responses }
survey-post-csat = 📊 <b>Survey #{ $number }</b>
    { $question }
    1 = very unsatisfied, 5 = very satisfied. Tap again to change your answer.
    Responses: { $responses }
survey-answered = Thanks! Your answer: { $score }
survey-results-title = 📊 <b>Survey #{ $number }</b>: { $question }
    { $responses ->
        [one] { $responses } response
       *[other] { $responses } responses
    }{ $closed ->
        [yes] {" "}· closed
       *[no] {""}
    }
survey-results-nps = NPS: <b>{ $nps }</b> (promoters { $promoters }, passives { $passives }, detractors { $detractors })
survey-results-csat = Average: <b>{ $average }</b> of 5 ({ $satisfied }% satisfied, 4–5)
survey-error-unknown = That survey does not exist in this group.
survey-error-closed = This survey is closed.
survey-error-question = Please add a question (at most { $limit } characters): /survey nps How likely are you to recommend us?

feedback-staff-not-forum = Send /feedback staff in a forum supergroup (topics enabled) of your managers.
feedback-staff-which = Which group should this staff chat serve? Send /feedback staff &lt;group id&gt;, one of: { $options }. You must administer both chats.
feedback-staff-linked = ✅ This chat is now the staff chat of { $group }: each new feedback opens a topic here, and what you write in a topic goes to the member.
feedback-staff-topic-head = 📮 <b>#{ $number }</b> · { $group } · { $category }
    From { $name }. Write in this topic to answer them.

cmd-poll = Post a poll
help-poll = &lt;question&gt; | &lt;option&gt; | &lt;option&gt; … (anon first for an anonymous one); results | close &lt;number&gt;
poll-results-title = 🗳 <b>Poll #{ $number }</b>: { $question }
    { $votes ->
        [one] { $votes } vote
       *[other] { $votes } votes
    }{ $closed ->
        [yes] {" "}· closed
       *[no] {""}
    }
poll-results-anonymous = (Anonymous poll: Telegram does not tell the bot who voted.)
poll-error-usage = Usage: /poll Where shall we meet? | Café | Park (2 to { $max } different options).
poll-error-unknown = That poll does not exist in this group.
export-survey = 📄 Survey answers: { $count } rows (UTF-8 CSV, times in UTC).

settings-section-feedback = 📮 <b>Feedback, surveys and polls</b>
settings-label-feedback_points = Points per feedback
settings-value-feedback_points = { $value } (0: none)
settings-label-feedback_points_daily_cap = Feedback points per day (max)
settings-value-feedback_points_daily_cap = { $value }
settings-label-survey_followup = Ask NPS detractors why (in private)
settings-value-survey_followup = { $value ->
        [on] on
       *[other] off
    }
settings-label-poll_points = Points for voting in a poll
settings-value-poll_points = { $value } (0: none)

feedback-keywords-title = 🔑 <b>Keywords that propose a category</b> (a feedback sent without one gets the category whose words it contains most)
feedback-keywords-line = { $category } ({ $source }): { $words }
feedback-keywords-own = this group's list
feedback-keywords-default = default
feedback-keywords-usage = Change: <code>/feedback keywords bug add crash lag</code> (words separated by spaces, or phrases by commas: <code>add not loading, 打不开</code>), <code>/feedback keywords bug remove lag</code>, <code>/feedback keywords bug reset</code>. Categories: feature, service, bug.
feedback-keywords-saved = ✅ { $category }: { $count } keywords now: { $words }
feedback-keywords-reset = ✅ { $category }: back to the default { $count } keywords.
feedback-keywords-unknown-category = There is no category “{ $category }” with keywords. Categories: { $options }. Nothing was changed.
feedback-keywords-empty = Which words? E.g. <code>/feedback keywords bug add crash lag</code>. Nothing was changed.
feedback-keywords-too-long = A keyword may have at most { $limit } characters. Nothing was changed.
feedback-keywords-too-many = A category may have at most { $limit } keywords. Nothing was changed.
feedback-points-earned = 🎁 +{ $points } points for your feedback.
survey-followup-ask = 📊 Thanks for answering survey #{ $number } ({ $question }). What could we do better? Just send your answer here in one message; the team will read it.
survey-followup-thanks = 🙏 Thank you for telling us why.
feedback-item-survey = 📊 Answer to survey #{ $survey } (why the low score)
feedback-inbox-survey = (📊 survey #{ $survey })
survey-closes-at = ⏳ Closes { $at } ({ $tz }).
survey-closed-post = 🔒 <b>Closed</b> — final result:
survey-error-closing = I don't understand the closing time “{ $value }”. After a last “|”, write <code>until 18:00</code>, <code>until 2026-12-05 18:00</code>, <code>until tomorrow 9:00</code>, <code>in 2 hours</code>, <code>明天 18点</code> or <code>for 24h</code> (30m, 24h, 2d), in the group's timezone. Nothing was posted.
survey-error-closing-past = That closing time has passed already. Nothing was posted.
survey-error-closing-too-far = A survey may stay open { $days } days at most. Nothing was posted.
feedback-keywords-in-group = Keyword lists belong to a group: send <code>/feedback keywords</code> in the group (admins).
