cmd-feedback = 向管理团队反馈
help-feedback = [内容] — 建议、问题都可以;只发 /feedback 会有引导(可附图片)。管理员:<code>/feedback keywords</code> 编辑推荐分类的关键词
cmd-inbox = 打开反馈收件箱
help-inbox = [new | progress | resolved] [feature | service | bug | other] — 查看、回复、关闭反馈

feedback-cat-feature = 💡 功能建议
feedback-cat-service = 🤝 服务体验
feedback-cat-bug = 🐞 技术问题
feedback-cat-other = 📝 其他
feedback-status-new = 新反馈
feedback-status-in_progress = 处理中
feedback-status-resolved = 已解决
feedback-status-wontfix = 暂不处理
feedback-priority-0 = 低
feedback-priority-1 = 普通
feedback-priority-2 = 高
feedback-priority-3 = 紧急

feedback-error = 这条反馈有点问题。
feedback-error-empty = 请写点内容:/feedback 你的内容(或只发 /feedback 按引导填写)。
feedback-error-too-long = 内容太长了:{ $length } 个字符,最多 { $limit } 个。没有保存,请精简后再发。
feedback-error-daily-limit = 谢谢!你今天已经提交了 { $limit } 条反馈,已达每日上限,请明天再来。
feedback-error-no-group = 还不知道你要反馈的是哪个群。请在群里发送 /feedback,或先在群里说句话。
feedback-error-unknown-item = 这条反馈不存在(或已删除)。
feedback-error-not-manager = 只有该反馈所在群的管理员可以这样做。
feedback-error-nothing-open = 目前没有需要你回复的反馈。要提交反馈,请发送 /feedback。

feedback-received = 📮 谢谢!你的反馈已记录为 <b>#{ $number }</b>({ $group }),分类:{ $category }。分类不对?点下面换一个。
feedback-pick-group = 你的反馈是关于哪个群的?
feedback-pick-category = 是关于什么的?选一个分类(或直接发送内容)。
feedback-send-text = { $category }:请用一条消息发送你的反馈(可以是带说明的图片)。
feedback-send-text-group = { $category }:请回复这条消息发送你的反馈(可以是带说明的图片)。
feedback-stale = 这个表单已过期,请重新发送 /feedback。
feedback-not-yours = 只有提交者可以修改这条反馈的分类。
feedback-category-changed = 分类已修改。
feedback-answer-added = ✅ 已补充到你的反馈 #{ $number },团队会看到。
feedback-member-answered = 💬 { $name } 回复了反馈 #{ $number }:
feedback-button-open = 打开
feedback-button-reply = ✉️ 回复
feedback-button-back = « 返回
feedback-filter-open = 未关闭
feedback-filter-all = 全部
feedback-inbox-title = 📥 <b>反馈收件箱</b> — { $filters }({ $groups } 个群)
feedback-inbox-empty = 暂无反馈。🎉
feedback-inbox-line = <b>#{ $number }</b> · { $group } · { $category } · { $status } · { $priority } — { $name }:{ $text }
feedback-item-title = <b>#{ $number }</b> · { $group }
    来自 { $name } · { $category }
    状态:{ $status } · 优先级:{ $priority }
    提交于 { $created }
feedback-thread-member = 成员
feedback-item-attachments = 📎 { $count } 张图片
feedback-status-set = 状态:{ $status }
feedback-priority-set = 优先级:{ $priority }
feedback-reply-now = ✉️ 请现在用一条消息发送你对 #{ $number } 的回复。
feedback-reply-dm = 📮 团队回复了你的反馈 #{ $number }({ $group }):
feedback-reply-hint = 直接在这里回复即可继续沟通。
feedback-reply-sent = ✅ 对 #{ $number } 的回复已发给 { $name }。
feedback-closed-dm-resolved = ✅ 你的反馈 #{ $number }({ $group })已解决,谢谢!
feedback-closed-dm-wontfix = 你的反馈 #{ $number }({ $group })暂不处理,已关闭。谢谢你告诉我们。
export-feedback = 📄 反馈:{ $count } 条(UTF-8 CSV,时间为 UTC)。

cmd-survey = 发起 NPS 或满意度调查
help-survey = nps | csat &lt;问题&gt; — 发起调查;要到时自动结束,在末尾加“|”和 <code>until 18:00</code>、<code>until 2026-12-05 18:00</code> 或 <code>for 24h</code>(30m、24h、2d;按群时区)。results | close &lt;编号&gt;
survey-post-nps = 📊 <b>调查 #{ $number }</b>
    { $question }
    0 = 完全不可能,10 = 非常可能。再点一次可修改答案。
    已回答:{ $responses }
survey-post-csat = 📊 <b>调查 #{ $number }</b>
    { $question }
    1 = 非常不满意,5 = 非常满意。再点一次可修改答案。
    已回答:{ $responses }
survey-answered = 谢谢!你的答案:{ $score }
survey-results-title = 📊 <b>调查 #{ $number }</b>:{ $question }
    共 { $responses } 份回答{ $closed ->
        [yes] {" "}· 已结束
       *[no] {""}
    }
survey-results-nps = NPS:<b>{ $nps }</b>(推荐者 { $promoters },中立者 { $passives },贬损者 { $detractors })
survey-results-csat = 平均分:<b>{ $average }</b> / 5(满意 4–5 分占 { $satisfied }%)
survey-error-unknown = 本群没有这个调查。
survey-error-closed = 这个调查已结束。
survey-error-question = 请写上问题(最多 { $limit } 个字符):/survey nps 你有多大可能把我们推荐给朋友?

feedback-staff-not-forum = 请在管理团队的论坛型超级群(已开启话题)里发送 /feedback staff。
feedback-staff-which = 这个工作群要服务哪个群?请发送 /feedback staff &lt;群 ID&gt;,可选:{ $options }。你需要同时是两个群的管理员。
feedback-staff-linked = ✅ 本群已设为 { $group } 的工作群:每条新反馈会在这里开一个话题,你在话题里写的内容会发给该成员。
feedback-staff-topic-head = 📮 <b>#{ $number }</b> · { $group } · { $category }
    来自 { $name }。在本话题里回复即可答复对方。

cmd-poll = 发起投票
help-poll = &lt;问题&gt; | &lt;选项&gt; | &lt;选项&gt; …(开头加 anon 为匿名投票);results | close &lt;编号&gt;
poll-results-title = 🗳 <b>投票 #{ $number }</b>:{ $question }
    共 { $votes } 票{ $closed ->
        [yes] {" "}· 已结束
       *[no] {""}
    }
poll-results-anonymous = (匿名投票:Telegram 不会告诉机器人谁投了票。)
poll-error-usage = 用法:/poll 在哪里见面? | 咖啡馆 | 公园(2 到 { $max } 个不同的选项)。
poll-error-unknown = 本群没有这个投票。
export-survey = 📄 调查回答:{ $count } 行(UTF-8 CSV,时间为 UTC)。

settings-section-feedback = 📮 <b>反馈、调查与投票</b>
settings-label-feedback_points = 每条反馈积分
settings-value-feedback_points = { $value }(0:不奖励)
settings-label-feedback_points_daily_cap = 每日反馈积分上限
settings-value-feedback_points_daily_cap = { $value }
settings-label-survey_followup = 私聊询问 NPS 贬损者原因
settings-value-survey_followup = { $value ->
        [on] 开
       *[other] 关
    }
settings-label-poll_points = 参与投票积分
settings-value-poll_points = { $value }(0:不奖励)

feedback-keywords-title = 🔑 <b>用于推荐分类的关键词</b>(未选分类的反馈归入关键词出现最多的分类)
feedback-keywords-line = { $category }({ $source }):{ $words }
feedback-keywords-own = 本群自定义
feedback-keywords-default = 默认
feedback-keywords-usage = 修改:<code>/feedback keywords bug add 崩溃 卡顿</code>(词之间用空格,短语之间用逗号:<code>add 打不开, not loading</code>),<code>/feedback keywords bug remove 卡顿</code>,<code>/feedback keywords bug reset</code>。分类:feature(功能建议)、service(服务体验)、bug(技术问题)。
feedback-keywords-saved = ✅ { $category }:现有 { $count } 个关键词:{ $words }
feedback-keywords-reset = ✅ { $category }:已恢复默认的 { $count } 个关键词。
feedback-keywords-unknown-category = 没有名为“{ $category }”的关键词分类。可选:{ $options }。未做任何修改。
feedback-keywords-empty = 要哪些词?例如 <code>/feedback keywords bug add 崩溃 卡顿</code>。未做任何修改。
feedback-keywords-too-long = 每个关键词最多 { $limit } 个字符。未做任何修改。
feedback-keywords-too-many = 每个分类最多 { $limit } 个关键词。未做任何修改。
feedback-points-earned = 🎁 感谢反馈,+{ $points } 积分。
survey-followup-ask = 📊 感谢参与调查 #{ $number }({ $question })。我们哪里可以做得更好?直接在这里回复一条消息即可,团队会认真阅读。
survey-followup-thanks = 🙏 感谢你告诉我们原因。
feedback-item-survey = 📊 调查 #{ $survey } 的回答(低分原因)
feedback-inbox-survey = (📊 调查 #{ $survey })
survey-closes-at = ⏳ 截止时间:{ $at }({ $tz })。
survey-closed-post = 🔒 <b>已结束</b> — 最终结果:
survey-error-closing = 看不懂截止时间“{ $value }”。请在最后一个“|”后写 <code>截止 18:00</code>、<code>截止 2026-12-05 18:00</code>、<code>明天 18点</code>、<code>2小时后</code> 或 <code>持续 24h</code>(30m、24h、2d),按群时区。未发起调查。
survey-error-closing-past = 该截止时间已经过去。未发起调查。
survey-error-closing-too-far = 调查最多开放 { $days } 天。未发起调查。
feedback-keywords-in-group = 关键词列表属于各个群:请在群里发送 <code>/feedback keywords</code>(管理员)。
