## 用户分层、标签与成员画像(#25 §3)
cmd-tag = 给成员打标签
cmd-untag = 去掉成员的标签
cmd-tags = 本群或成员的标签
cmd-segments = 按阶段和层级看成员
cmd-whois = 成员画像卡片
example-tag = /tag @alice 大客户
example-untag = /untag @alice 大客户
example-tags = /tags @alice
example-segments = /segments 沉睡+标签:vip
example-whois = /whois @alice
help-tag = @用户|ID 标签… — 或回复该成员;字母、数字、_ 和 -,最多 32 个字符
help-untag = @用户|ID 标签… — 或回复该成员
help-tags = [@用户] — 本群的标签及人数,或某位成员的标签
help-segments = [选择器] — 各阶段、各层级的人数;带选择器(沉睡+标签:vip、新人,回流、全部-tag:staff)时列出选中的成员
help-whois = @用户|ID — 或回复:入群、最近活跃、连续打卡、积分、等级、阶段、风险、标签

settings-section-segments = 🧭 <b>用户分层</b>
settings-label-segment_new_days = 新人期
settings-label-segment_active_days = 活跃判定
settings-label-segment_dormant_days = 沉睡判定
settings-label-segment_churned_days = 流失判定
settings-label-segment_returned_days = 回流期
settings-label-tier_core_percent = 核心层:前
settings-label-tier_regular_percent = 常规层:其后
settings-value-segment_new_days = 入群后 { $value } 天
settings-value-segment_active_days = 最近 { $value } 天内活跃
settings-value-segment_dormant_days = 连续 { $value } 天不活跃
settings-value-segment_churned_days = 连续 { $value } 天不活跃
settings-value-segment_returned_days = { $value } 天
settings-value-tier_core_percent = { $value }%
settings-value-tier_regular_percent = { $value }%

segment-stage-new = 新人
segment-stage-active = 活跃
segment-stage-returned = 回流
segment-stage-at_risk = 有流失风险
segment-stage-dormant = 沉睡
segment-stage-churned = 已流失
segment-tier-core = 核心
segment-tier-regular = 常规
segment-tier-casual = 边缘

## 标签
tag-added = 🏷 { $name }:已添加 { $added }。标签:{ $tags }
tag-unchanged = 🏷 { $name } 已经有这个标签。标签:{ $tags }
tag-removed = 🏷 { $name }:已去掉 { $removed }。标签:{ $tags }
tag-not-there = { $name } 没有标签 { $tags }。
tags-member-none-short = 无
tags-none = 还没有标签。用 <code>/tag @用户 vip</code> 给成员打标签(或回复其消息发 <code>/tag vip</code>)。
tags-title = 🏷 本群标签({ $count } 个),按人数:
tags-line = • { $tag } — { $count } 人
tags-more = …还有 { $count } 个。
tags-member = 🏷 { $name }:{ $tags }
tags-member-none = { $name } 没有标签。
tag-error-bad = “{ $tag }”不能作为标签:只能用字母、数字、_ 和 -(最多 { $max } 个字符),每个标签一个词。
tag-error-too-long = “{ $tag }”太长了:标签最多 { $max } 个字符。
tag-error-none = 要打哪些标签?例如 <code>/tag @用户 vip gold</code>。
tag-error-too-many = 一次最多 { $max } 个标签。
tag-error-member-limit = { $name } 的标签会超过 { $max } 个,请先去掉一些。

## 成员选择器
selector-error = 无法识别这个选择器。
selector-error-empty = 选哪些成员?例如 <code>沉睡+标签:vip</code>、<code>新人,回流</code>、<code>全部-tag:staff</code>。
selector-error-too-long = 选择器最多 { $max } 个字符。
selector-error-too-many = 选择器最多 { $max } 个条件。
selector-error-unknown = 第 { $position } 个字符处的“{ $term }”无法识别。可用:新人、活跃、回流、风险、沉睡、流失、核心、常规、边缘、全部、标签:名称(或 new、active、returned、at_risk、dormant、churned、core、regular、casual、all、tag:名称)。
selector-error-unknown-suggest = 第 { $position } 个字符处的“{ $term }”无法识别;是不是 { $suggestion }?
selector-error-expected = 第 { $position } 个字符处缺少条件(运算符后面)。
selector-error-unexpected = 第 { $position } 个字符处的“{ $text }”不合语法:条件之间用 ,(或)+(且)-(排除)连接。
selector-error-paren = 第 { $position } 个字符处的括号没有闭合。
selector-error-value = 第 { $position } 个字符处的“{ $term }”不是有效条件(标签只能用字母、数字、_ 和 -)。

## /segments
segments-title = 🧭 <b>用户分层 · { $title }</b>
    共 { $members } 人 · 阶段更新于 { $date }
segments-title-pending = 🧭 <b>用户分层 · { $title }</b>
    共 { $members } 人 · 首次每日更新即将完成
segments-stages = <b>生命周期</b>
segments-tiers = <b>价值层级</b>(近 30 天获得的积分)
segments-line = { $label } — { $count } · { $share }{ $change }
segments-change = { " " }(一周 { $change })
segments-left = (另有 { $count } 人已退群)
segments-floor = · { $points } 分起
segments-moves = <b>截至 { $date } 一周内的变化</b>
segments-move = { $old } → { $new }:{ $count } 人
segments-moves-none = 最近一周没有变化。
segments-moves-pending = 首次每日更新后显示变化。
segments-hint = 点人数查看成员。<code>/segments 沉睡+标签:vip</code> 按阶段、层级和标签选人:, 或 · + 且 · - 排除。
segments-list-title = 👥 <b>{ $selector }</b> — { $count } 人
segments-unknown-tag = ⚠️ 没有成员有标签“{ $tag }”。
segments-list-empty = 没有符合条件的成员。
segments-list-end = 没有更多成员了。
segments-list-line = · { $stage } · { $points } 分(近 30 天 { $earned })· 最近活跃 { $last }
segments-first = ⏮ 第一页
segments-more = 更多 ▶️
segments-export = ⬇️ CSV
segments-back = ↩️ 总览
segments-no-groups = 你不是我所在任何群的管理员。请在群里使用 /segments。
segments-choose-group = 哪个群?
segments-exported = 👥 { $selector }:{ $count } 人
segments-export-sent = CSV 已发送。

## /whois
whois-title = 🪪 <b>{ $name }</b> · ID { $id }
whois-title-username = 🪪 <b>{ $name }</b> <code>@{ $username }</code> · ID { $id }
whois-joined = { $date } 入群
whois-first-seen = { $date } 首次出现
whois-never-active = 还没有活跃过
whois-last-active = 最近活跃 { $date }({ $days ->
        [0] 今天
        [1] 昨天
       *[other] { $days } 天前
    })
whois-left = 🚪 { $date } 退群
whois-checkin-days = 📅 近 30 天打卡天数:{ $days }
whois-streak = 🔥 连续打卡 { $streak } 天(最长 { $best } 天)· 共打卡 { $checkins } 次
whois-points = 💰 { $points } 积分 · 累计获得 { $lifetime } · 等级 { $level } { $title }
whois-involvement = 🎁 兑换 { $redemptions } 次(待处理 { $pending })· 💬 反馈 { $feedback } 条 · 📋 问卷 { $surveys } 份 · 🗳 投票 { $polls } 次
whois-stage = 🧭 阶段:{ $stage }
whois-stage-since = 🧭 阶段:{ $stage }(自 { $date })
whois-tier = 💎 层级:{ $tier }(近 30 天 { $earned } 积分)
whois-risk = ⚠️ 风险:{ $level } — { $reasons }
whois-risk-plain = ⚠️ 风险:{ $level }
whois-risk-low = 低
whois-risk-medium = 中
whois-risk-high = 高
whois-risk-lost = 已离开
whois-reason-left = 已退群
whois-reason-quiet = { $days } 天没有活跃
whois-reason-streak-broken = 连续 { $streak } 天的打卡{ $days ->
        [1] 昨天
       *[other] { $days } 天前
    }中断
whois-reason-no-checkin = { $days } 天没有打卡
whois-reason-never-checked-in = 从未打卡
whois-reason-returned = 沉寂后回来了
whois-reason-new = { $days ->
        [0] 今天
        [1] 昨天
       *[other] { $days } 天前
    }入群
whois-reason-active = 最近很活跃
whois-no-tags = 🏷 无标签
whois-tags = 🏷 { $tags }
whois-unknown = 在你管理的群里找不到成员 { $target }。
whois-choose-group = { $target } 在你管理的多个群里。看哪个群?
