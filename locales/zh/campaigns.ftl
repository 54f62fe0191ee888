cmd-campaign = 给选定的成员发私信活动
help-campaign = — &lt;筛选条件&gt; [claim=&lt;积分&gt;] [link=&lt;网址&gt;] [at=&lt;时间&gt;] [holdout=&lt;百分比&gt;] &lt;正文,可用 {"{"}name{"}"}&gt;,或回复一条消息来转发它;&lt;编号&gt;:查看报告
cmd-campaigns = 查看所有活动及状态
cmd-unsubscribe = 不再接收活动私信
cmd-subscribe = 重新接收活动私信
example-campaign = /campaign dormant+tag:vip claim=20 {"{"}name{"}"},好久不见,回来看看吧!
example-campaigns = /campaigns
example-unsubscribe = /unsubscribe
example-subscribe = /subscribe

settings-section-campaigns = 📣 <b>活动私信</b>
settings-label-campaign_quiet = 免打扰时段(活动私信顺延)
settings-value-campaign_quiet = { $value ->
        [off] 无
       *[other] { $value }
    }
settings-label-campaign_cap = 每位成员 7 天内最多收到的活动私信
settings-value-campaign_cap = { $value }
settings-label-campaign_holdout = 对照组(永不发送)
settings-value-campaign_holdout = { $value }%
settings-label-reactivation = 给进入沉睡的成员发一条唤醒私信
settings-value-reactivation = { $value ->
        [on] 开
       *[other] 关
    }
settings-label-reactivation_bonus = 收到后 3 天内签到的奖励积分
settings-value-reactivation_bonus = { $value }(0:不给)

campaign-guide-audience = 📣 <b>活动私信</b>:给筛选出的成员发私信,并留出一个什么也不发的对照组,报告才能说清活动到底有没有用。
    <code>/campaign dormant+tag:vip {"{"}name{"}"},好久不见!</code>
    正文前可加选项:<code>claim=20</code>(领取按钮:20 积分,每人一次)、<code>link=https://…</code>(链接按钮)、<code>at=09:00</code> 或 <code>at=+2h</code>(稍后发送)、<code>holdout=20</code>(对照组百分比)。
    回复一条消息(比如一张图片)并发送 <code>/campaign new,returned</code>,即可把它转发给这些成员。
    确认前你会看到人数、能送达的人数和示例。<code>/campaigns</code>:活动列表;<code>/campaign 3</code>:第 3 次活动的报告。
    <b>发给谁?</b>点一个人群,或回复这条消息写筛选条件(<code>dormant+tag:vip</code>、<code>field:city=上海</code>)。
campaign-guide-message = <b>私信写什么?</b>回复这条消息写正文({"{"}name{"}"} 会换成每位成员的名字),或者回复一张图片、一段视频或任意消息,把它转发出去。
campaign-guide-button = <b>要加按钮吗?</b>点一个,或回复这条消息发一个链接(https://…)作为链接按钮。
campaign-guide-when = <b>什么时候发?</b>点一个,或回复群时间(<code>18:30</code>、<code>2026-12-24T18:00</code>、<code>+2h</code>)。无论如何都会避开免打扰时段。
campaign-guide-no-button = 不加按钮
campaign-guide-now = 现在
campaign-guide-in-hour = 1 小时后
campaign-guide-tomorrow = 明天 09:00
campaign-guide-stale = 这个问题已经回答过了。
campaign-error = 无法创建这个活动。
campaign-error-option = “{ $option }”不是有效的选项:claim=1…10000,holdout=0…50。
campaign-error-no-message = 私信要写什么?请写在筛选条件后面,或回复一条要转发的消息。
campaign-error-too-long = 私信太长:名字较长时有 { $length } 个字符,Telegram 最多 { $max } 个。
campaign-error-link = 链接必须以 http:// 或 https:// 开头。
campaign-error-when = 看不懂这个时间。可以写 at=09:00、at=2026-12-24T18:00 或 at=+2h。
campaign-error-empty = 本群没有符合条件的成员,无需发送。
campaign-error-too-large = 这个人群超过 { $max } 人,请缩小范围。
campaign-error-confirmed = 这个活动已经确认过了,不会重复发送。
campaign-error-unknown = 本群没有第 { $number } 次活动。<code>/campaigns</code> 可查看列表。
campaign-error-state = 现在不能这样操作:活动{ $status ->
        [draft] 还是草稿
        [scheduled] 已排期
        [sending] 正在发送
        [paused] 已暂停
        [done] 已完成
       *[other] 已取消
    }。
campaign-claim-refused = 这个按钮不是给你的,或者活动已经结束。
campaign-claim-already = 你已经领过这份积分了。
campaign-claimed = 🎁 { $points } 积分已到账!

campaign-button-confirm = ✅ 确认并发送
campaign-button-cancel = ✖️ 取消
campaign-button-pause = ⏸ 暂停
campaign-button-resume = ▶️ 继续
campaign-button-stop = ⏹ 停止
campaign-button-claim = 🎁 领取 { $points } 积分
campaign-button-link = 🔗 打开

campaign-preview-title = 📣 <b>活动预览</b>
campaign-preview-audience = 目标人群:{ $audience } 人 · 对照组 { $holdout } 人({ $percent }%,不会收到私信)
campaign-preview-reach = 现在能送达:{ $reachable } 人(无法送达:{ $unreachable } 人没私聊过机器人或已屏蔽 · { $opted_out } 人已退订 · { $capped } 人超过每周上限)
campaign-preview-claim = 按钮:领取 { $points } 积分(每人一次)
campaign-preview-link = 按钮:链接到 { $url }
campaign-preview-no-button = 无按钮。
campaign-preview-when = 将于 { $when }(群时间)发送,避开免打扰时段。
campaign-preview-now = 立即发送,避开免打扰时段。
campaign-preview-sample = 示例(收件人叫 Alex 时):
campaign-preview-copy = 内容:转发你回复的那条消息。
campaign-preview-confirm = 确认之前不会发送任何消息。
campaign-draft-cancelled = ✖️ 活动已取消,什么都没有发送。
campaign-pressed-c = 已确认
campaign-pressed-x = 已停止
campaign-pressed-p = 已暂停
campaign-pressed-r = 已继续

campaign-status-draft = 草稿
campaign-status-scheduled = 已排期
campaign-status-sending = 发送中
campaign-status-paused = 已暂停
campaign-status-done = 已完成
campaign-status-cancelled = 已取消
campaign-kind-campaign = 活动
campaign-kind-reactivation = 唤醒

campaign-progress = 📣 第 { $number } 次活动({ $status }):已发送 { $sent } / { $total } · 已屏蔽 { $blocked } · 跳过 { $skipped } · 已处理 { $done }
campaign-progress-unknown = { $unknown } 条状态不明(重启时被中断,不会重发)
campaign-progress-quiet = ⏳ 等待免打扰时段结束({ $until })
campaign-progress-done = 报告:<code>/campaign { $number }</code>

campaigns-none = 还没有活动。发送 <code>/campaign</code> 查看用法。
campaigns-title = 📣 <b>活动列表</b>
campaigns-line = { $number }. { $kind } · { $status } · { $audience } 人 · <code>{ $selector }</code> · { $when }
campaigns-hint = <code>/campaign &lt;编号&gt;</code>:报告 · <code>/export campaign &lt;编号&gt;</code>:每位成员的明细

campaign-report-title = 📣 <b>第 { $number } 次活动</b>({ $kind },{ $status })
campaign-report-audience = 人群 <code>{ $selector }</code>:{ $audience } 人
campaign-report-delivery = 已发送 { $sent } · 已屏蔽 { $blocked } · 失败 { $failed } · 跳过 { $skipped } · 状态不明 { $unknown } · 待发送 { $pending } · 对照组 { $holdout }
campaign-report-window = <b>7 天内重新活跃</b>({ $first } – { $last },目前已过 { $days }/7 天),按分组统计所有成员:
campaign-report-treated = • 发送组:{ $members } 人中 { $count } 人({ $rate },95% 区间 { $low }–{ $high })
campaign-report-holdout = • 对照组:{ $members } 人中 { $count } 人({ $rate },{ $low }–{ $high })
campaign-report-claims = • 领取:发送组 { $members } 人中 { $count } 人({ $rate },{ $low }–{ $high })
campaign-report-no-stats = (暂时无法计算统计,以上人数是准确的)
campaign-report-not-enough = 数据还不够下结论(每组至少 { $min } 人,且两组合计至少 { $events } 人重新活跃)。
campaign-report-difference = 差值:{ $diff } 个百分点(95% 区间 { $low } 到 { $high })
campaign-report-effect-up = ✅ 活动确实带回了成员:整个区间都在零以上。
campaign-report-effect-down = ⚠️ 发送组的表现不如对照组。
campaign-report-no-effect = 没有明显效果:区间包含零。

campaign-footer = <i>/unsubscribe:不再接收此类私信</i>
campaign-unsubscribed = 🔕 你将不再收到活动私信。回复和兑换码等消息照常送达。想恢复请发送 /subscribe。
campaign-unsubscribed-already = 🔕 你之前已经退订了活动私信。
campaign-subscribed = 🔔 你将重新收到活动私信。
campaign-subscribed-already = 🔔 你本来就会收到活动私信。
export-campaign = 📄 活动明细:{ $count } 行(UTF-8 CSV,时间为 UTC;status:sent 已发送,blocked 已屏蔽,failed 失败,skipped 跳过,unknown 状态不明,holdout 对照组;active_within_7d:1 或 0)。

reactivation-message = 👋 {"{"}name{"}"},好久没在 <b>{ $group }</b> 见到你了,大家都挺想你的!有空回来打个招呼,或者在群里签到,把连续签到续上吧。
reactivation-bonus = 🎁 3 天内回群签到,额外送你 { $points } 积分。
campaign-progress-source-gone = ⚠️ 已停止:要转发的原消息已被删除。请用一条仍存在的消息重新发起活动。
