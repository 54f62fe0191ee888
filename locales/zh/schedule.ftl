## Scheduled posts: /schedule, /posts, /unschedule
cmd-schedule = 定时发布消息
cmd-posts = 查看定时发布
cmd-unschedule = 删除定时发布
help-schedule = &lt;时间&gt; &lt;内容&gt; — 例如 <code>/schedule daily 08:00 早上好</code>;回复某条消息则定时转发它的副本
help-posts = — 即将发布的内容,可暂停、恢复、预览、删除;<code>/posts 3</code> 查看单条
help-unschedule = &lt;编号&gt; — 删除一条定时发布

schedule-usage = 🗓 <b>定时发布</b>:<code>/schedule &lt;时间&gt; &lt;内容&gt;</code>,或回复一条消息发送 <code>/schedule &lt;时间&gt;</code>,到时发布它的副本(图片、文件、投票均可)。
    时间按本群时区，可以像平时说话一样写：
    • <code>30分钟后</code>、<code>明天 9点</code>、<code>下午3点</code>、<code>in 10 minutes</code>、<code>tomorrow 9:00</code> — 一次
    • <code>每天 8:00</code>、<code>每周一 19:00</code>、<code>工作日 9:00</code>、<code>every monday 19:00</code> — 重复
    也可以写精确格式：
    • <code>2026-12-01 09:30</code> — 一次
    • <code>08:00</code> — 下一个 08:00
    • <code>+30m</code>、<code>+2h</code>、<code>+45s</code> — 从现在起
    • <code>daily 08:00</code>、<code>weekly mon,thu 19:00</code>、<code>monthly 1 10:00</code>
    • <code>cron "0 8 * * 1-5"</code> — crontab 格式(分 时 日 月 星期)
    • <code>every 2h</code> — 固定间隔
    用 <code>||</code> 分隔多个版本则轮流发布(A/B 测试),并附 👍 按钮分别计数(<code>/posts &lt;编号&gt;</code> 查看)。
    或点按下方的时间,再回复我的消息发送要发布的内容。
schedule-unschedule-usage = 删除哪一条?<code>/unschedule &lt;编号&gt;</code>(编号见 /posts)。
schedule-created = ✅ 已安排第 { $id } 条:{ $desc }。下次:<b>{ $next }</b>({ $tz })。
schedule-deleted = 🗑 第 { $id } 条已删除。
schedule-paused = ⏸ 第 { $id } 条已暂停。
schedule-resumed = ▶️ 第 { $id } 条已恢复。
schedule-preview = 👁 第 { $id } 条预览:
schedule-preview-sent = 已发送第 { $id } 条的预览。
schedule-skipped = ⏰ 第 { $id } 条原定 { $due } 发布,当时机器人离线,{ $grace ->
        [0] 已错过
       *[other] 已超过 { $grace } 分钟
    }:已跳过{ $missed ->
        [1] {""}
       *[other] ({ $missed } 次)
    }。
schedule-list-title = 🗓 <b>定时发布</b>(共 { $count } 条;时间为 { $tz })
schedule-list-empty = 暂无定时发布。试试 <code>/schedule daily 08:00 早上好</code>。
schedule-list-more = ……还有 { $n } 条。
schedule-line = { $state } <b>#{ $id }</b> { $desc } — 下次:{ $next }{ $topic ->
        [yes] {" "}(话题)
       *[no] {""}
    }
    { $summary }
schedule-none = —
schedule-copy-of = (消息 { $id } 的副本)
schedule-button-pause = ⏸ #{ $id }
schedule-button-resume = ▶️ #{ $id }
schedule-button-preview = 👁 #{ $id }
schedule-button-delete = 🗑 #{ $id }

schedule-useful = 👍 有用
schedule-useful-counted = 👍 谢谢,已记录。
schedule-useful-already = 你已经点过了。

schedule-quick-0 = 30 分钟后
schedule-quick-1 = 1 小时后
schedule-quick-2 = 3 小时后
schedule-quick-3 = 09:00
schedule-quick-4 = 每天 09:00
schedule-quick-5 = 每周一 10:00
schedule-draft = 🗓 { $desc }。请回复本消息发送要发布的内容:文字(再次回复可添加 A/B 版本),或任意消息(图片、文件、投票)以发布其副本。
schedule-draft-variants = 🗓 { $desc }。已收到的文字(每次发布轮流使用下一条):
schedule-draft-variant = { $n }. { $summary }
schedule-draft-more = 再回复本消息一段文字可添加版本,或点 ✅ 确认安排。
schedule-draft-confirm = ✅ 确认安排
schedule-draft-cancel = ✖ 取消
schedule-draft-done = ✅ 已安排第 { $id } 条。
schedule-draft-gone = 这个草稿已失效(超过 30 分钟或已使用):请重新发送 /schedule。
schedule-draft-cancelled = ✖ 已取消,没有安排任何内容。
schedule-variant-added = ✍️ 已保存第 { $n } 个版本。再回复提示消息可继续添加,或在提示消息上点 ✅ 确认。
schedule-variant-text-only = 版本只能是文字:这条已有文字版本。请回复文字,或点 ✅。
schedule-error-too-many-variants = 每条最多 { $limit } 个版本。

schedule-desc-once = 一次,{ $at }
schedule-desc-daily = 每天 { $time }
schedule-desc-weekly = 每{ $days } { $time }
schedule-desc-monthly = 每月 { $day } 日 { $time }
schedule-desc-monthly-last = 每月最后一天 { $time }
schedule-desc-cron = 按 cron 计划“{ $expr }”
schedule-desc-every = 每隔 { $span }
schedule-day-sep = 、
schedule-day-0 = 周一
schedule-day-1 = 周二
schedule-day-2 = 周三
schedule-day-3 = 周四
schedule-day-4 = 周五
schedule-day-5 = 周六
schedule-day-6 = 周日
schedule-seconds = { $n } 秒
schedule-minutes = { $n } 分钟
schedule-hours = { $n } 小时
schedule-days = { $n } 天

schedule-error-when = 看不懂这个时间。{ schedule-usage }
schedule-error-time = “{ $value }”不是有效时间：请用 00:00 至 23:59，或直接说，例如 <code>7:30</code>、<code>早上7点半</code>、<code>7:30am</code>。
schedule-error-date = “{ $value }”不是有效日期:请用 YYYY-MM-DD。
schedule-error-past = 这个时间已经过去了。
schedule-error-too-far = 时间太远了(+… 最多一年,日期最多五年)。
schedule-error-cron = “{ $value }”不是有效的 cron:需五个字段,分(0–59) 时(0–23) 日(1–31) 月(1–12) 星期(0–7,0 和 7 为周日),例如 <code>cron "0 8 * * 1-5"</code>。
schedule-error-weekdays = 哪几天?请用 mon,tue,wed,thu,fri,sat,sun(或 周一…周日),例如 <code>weekly mon,thu 19:00</code>。
schedule-error-monthday = 每月哪一天?1–31 或 <code>last</code>,例如 <code>monthly 1 10:00</code>。
schedule-error-interval = 间隔至少 { $minimum } 分钟。
schedule-error-empty = 要发布什么?请在时间后写上内容,或回复一条消息。
schedule-error-too-long = 内容太长了(最多 { $limit } 字)。
schedule-error-not-found = 本群没有第 { $id } 条定时发布。
schedule-error-too-many = 本群已有 { $limit } 条定时发布,请先删除一些。
schedule-error-never = 这个时间永远不会到来,请检查日期。

settings-section-schedule = 🗓 <b>定时发布</b>
settings-label-post_grace_minutes = 迟发宽限
settings-value-post_grace_minutes = { $value } 分钟
settings-label-welcome_delete_minutes = 欢迎语自动删除
settings-value-welcome_delete_minutes = { $value } 分钟(0 为不删除)
settings-label-birthday_points = 生日积分
settings-value-birthday_points = { $value }
birthday-bonus = 🎁 每人 +{ $points } 积分。
settings-label-anniversaries = 早安问候后祝贺入群周年
settings-value-anniversaries = { $value ->
        [on] 开启
       *[other] 关闭
    }
anniversary-greeting = 🎉 入群周年快乐!
anniversary-member = • { $name }:加入本群 { $years } 周年

## Welcome messages: /welcome
cmd-welcome = 设置新成员欢迎语
help-welcome = &lt;内容&gt; — 欢迎新成员,例如 <code>/welcome 欢迎 {"{"}mention{"}"} 加入 {"{"}group{"}"}!</code>;<code>/welcome off</code> 关闭
welcome-none = 尚未设置欢迎语。用 <code>/welcome &lt;内容&gt;</code> 设置;可用占位符:{ $placeholders }。
welcome-current = 👋 当前欢迎语(占位符:{ $placeholders };<code>/welcome off</code> 关闭):
welcome-set = ✅ 欢迎语已保存,效果如下:
welcome-off = 欢迎语已关闭。
welcome-more = 等另外 { $n } 人
welcome-error-empty = 欢迎语要说什么?<code>/welcome 欢迎 {"{"}name{"}"}!</code>
welcome-error-too-long = 欢迎语太长了(最多 { $limit } 字)。

## Daily greetings: /greeting
cmd-greeting = 设置每日早安或晚安问候
help-greeting = morning 07:30 &lt;内容&gt; — 每日问候(或 <code>evening</code>);<code>/greeting morning off</code> 关闭;<code>/greeting holiday</code> 设置节日祝福
greeting-usage = 🌅 <b>每日问候</b>:<code>/greeting morning 07:30 大家早上好!</code>(或 <code>evening</code>；时间也可写 <code>早上7点半</code>、<code>7:30am</code>),按本群时区;<code>/greeting morning off</code> 关闭。可在 /posts 中查看。
greeting-kind-morning = 早安问候
greeting-kind-evening = 晚安问候
greeting-set = ✅ { $kind }将于每天 { $time } 发布(第 { $id } 条)。下次:<b>{ $next }</b>({ $tz })。
greeting-off = { $kind }已关闭。
greeting-none = 没有可关闭的{ $kind }。

## Birthdays: /birthday (private)
cmd-birthday = 登记生日以便收到祝福
help-birthday = MM-DD — 例如 <code>/birthday 03-14</code>;设有早安问候的群会在当天祝你生日快乐;<code>/birthday off</code> 删除
birthday-none = 还没有保存生日。发送 <code>/birthday MM-DD</code>,例如 <code>/birthday 03-14</code>。
birthday-current = 🎂 你的生日:{ $month }-{ $day }。<code>/birthday off</code> 可删除。
birthday-set = 🎂 已保存:{ $month }-{ $day }。设有早安问候的群会在当天为你送上祝福。
birthday-off = 生日已删除。
birthday-error = “{ $value }”不是有效的生日:请用 MM-DD,例如 <code>/birthday 03-14</code>。
birthday-greeting = 🎂 祝{ $count ->
        [1] {""}
       *[other] 以下 { $count } 位
    }生日快乐!

## Goodbye line: /goodbye
cmd-goodbye = 设置成员退群告别语
help-goodbye = &lt;内容&gt; — 例如 <code>/goodbye {"{"}name{"}"} 离开了,再见!</code>(默认关闭);<code>/goodbye off</code> 关闭
goodbye-none = 未设置告别语(默认关闭)。用 <code>/goodbye &lt;内容&gt;</code> 设置;可用占位符:{ $placeholders }。
goodbye-current = 👋 当前告别语(占位符:{ $placeholders };<code>/goodbye off</code> 关闭):
goodbye-set = ✅ 告别语已保存,效果如下:
goodbye-off = 告别语已关闭。
schedule-paused-by-move = ⏸ 本群已升级为超级群:第 { $ids } 条定时内容复制的是升级前的消息,Telegram 已不允许再复制,已暂停。请对新消息回复 /schedule 重新安排。
