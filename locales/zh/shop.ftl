## 积分商城

cmd-shop = 浏览积分商城
cmd-redeem = 兑换奖品
help-redeem = &lt;编号&gt; — 兑换奖品（需要确认）
cmd-myrewards = 查看我兑换的奖品
cmd-reward_add = 添加奖品
help-reward_add = &lt;积分&gt; &lt;库存|unlimited&gt; &lt;名称&gt; [limit=N] [level=N] [mode=auto|manual|code] — 添加奖品（名称后可用 “ | ” 接描述；作为图片说明发送或回复一张图片，即以该图片展示）
cmd-reward_edit = 修改奖品
help-reward_edit = &lt;编号&gt; &lt;cost|stock|limit|level|mode|name|desc&gt; &lt;值&gt; — 修改奖品
cmd-reward_disable = 下架奖品
help-reward_disable = &lt;编号&gt; — 下架奖品
cmd-reward_enable = 重新上架奖品
help-reward_enable = &lt;编号&gt; — 重新上架奖品
cmd-rewards = 查看全部奖品、库存和兑换码
cmd-codes = 为奖品添加兑换码
help-codes = &lt;编号&gt;，然后在同一条消息里每行一个兑换码 — 添加兑换码
cmd-redemptions = 审批待处理的兑换
cmd-reject = 拒绝兑换并退还积分
help-reject = &lt;编号&gt; [原因] — 拒绝待处理的兑换，积分退还

settings-section-shop = 🛍 <b>等级</b>
settings-label-level_thresholds = 各等级所需积分
settings-label-level_titles = 等级称号
settings-value-level_thresholds = { $value }
settings-value-level_titles = { $value ->
        [default] 新人、活跃成员、核心成员、社区之星、传奇
       *[other] { $value }
    }

level-title-1 = 新人
level-title-2 = 活跃成员
level-title-3 = 核心成员
level-title-4 = 社区之星
level-title-5 = 传奇
level-title-other = { $level } 级
level-line = 🎖 等级 { $level } · { $title }
level-progress = { $bar } { $earned }/{ $next }，升至 { $level } 级
level-top = { $bar } 已是最高等级
badges-line = 🏅 { $badges }
badge-first_checkin = 首次签到
badge-streak_7 = 连续签到 7 天
badge-streak_30 = 连续签到 30 天
badge-streak_100 = 连续签到 100 天
badge-first_redemption = 首次兑换
badge-awarded = 🏅 { $name } 获得徽章：{ $badge }
level-up = 🎉 { $name } 升到了 { $level } 级 · { $title }
digest-badge = 🏅 { $name }：{ $badge }
digest-level = 🎉 { $name }：{ $level } 级 · { $title }

shop-title = 🛍 <b>积分商城</b> — 你的积分：{ $balance } · 等级 { $level }
shop-empty = 商城里暂时还没有奖品。
shop-item = <b>#{ $number } { $name }</b> — { $cost } 积分 · { $stock }
shop-stock-left = 剩余 { $left }
shop-stock-unlimited = 不限量
shop-item-level = · { $level } 级以上
shop-item-limit = · 每人限 { $limit } 次
shop-why-disabled = ⛔ 暂不可兑换
shop-why-sold-out = ⛔ 已售罄
shop-why-level = ⛔ 需要 { $level } 级（你是 { $mine } 级）
shop-why-limit = ⛔ 已达兑换上限
shop-why-points = ⛔ 还差 { $missing } 积分
shop-page = 第 { $page }/{ $pages } 页
shop-how = 点按奖品，或发送 /redeem &lt;编号&gt;。
shop-prev = ◀
shop-next = ▶
shop-button = 🎁 #{ $number } { $name }

shop-confirm = 用 { $cost } 积分兑换 <b>#{ $number } { $name }</b>？
    你的积分：{ $balance } → { $after }。
shop-confirm-yes = ✅ 确认
shop-confirm-no = ✖ 取消
shop-cancelled = 已取消。
shop-redeemed = ✅ { $name } 用 { $cost } 积分兑换了 <b>#{ $number } { $reward }</b>。余额：{ $balance }。
shop-redeemed-code = 兑换码已通过私信发送。
shop-redeemed-manual = 管理员会尽快发放（申请 #{ $id }）。
shop-redeemed-auto = 请享用！
shop-already = 已经兑换过了。
shop-answer-ok = ✅ 兑换成功
shop-code-dm = 🎟 <b>#{ $number } { $reward }</b> 的兑换码：<code>{ $code }</code>
shop-code-link = { $name }，我还不能私信你。打开 { $link } 领取兑换码。
shop-claim-ok = 给你。
shop-low-stock = ⚠️ 管理员请注意：#{ $number } { $name } 只剩 { $left } 件。
shop-low-codes = ⚠️ 管理员请注意：#{ $number } { $name } 只剩 { $left } 个兑换码。用 /codes { $number } 添加。

shop-added = ✅ 已添加 <b>#{ $number } { $name }</b>：{ $cost } 积分，{ $stock }，方式 { $mode }{ $limit }{ $level }。
shop-added-codes = 用 /codes { $number } 添加兑换码，每行一个。
shop-edited = ✅ #{ $number } { $name } 已修改。
shop-disabled = ⏸ #{ $number } { $name } 已下架。
shop-enabled = ▶ #{ $number } { $name } 已重新上架。
shop-admin-item = #{ $number } { $name } — { $cost } 积分 · { $stock } · { $mode }{ $codes }{ $off }
shop-admin-codes = · 未用兑换码 { $free } 个
shop-admin-off = · ⏸ 已下架
shop-codes-added = ✅ 已为 #{ $number } { $name } 添加 { $added } 个兑换码；现有未用 { $free } 个。
shop-codes-duplicates = 重复而拒绝（{ $count } 个）：{ $codes }

shop-history-title = 🎁 我的奖品
shop-history-empty = 你还没有兑换过奖品。看看 /shop。
shop-history-item = #{ $number } { $reward } — { $cost } 积分 · { $status } · { $date }{ $code }
shop-history-code = · 兑换码 <code>{ $code }</code>
shop-status-pending = ⏳ 待处理
shop-status-fulfilled = ✅ 已发放
shop-status-rejected = ❌ 已拒绝

shop-pending-title = ⏳ 待处理的兑换
shop-pending-empty = 没有待处理的兑换。
shop-pending-item = #{ $id } · { $name } · #{ $number } { $reward } · { $cost } 积分 · { $date }
shop-approve = ✅ #{ $id }
shop-reject = ❌ #{ $id }
shop-decided-approved = ✅ 兑换 #{ $id } 已批准。
shop-decided-rejected = ❌ 兑换 #{ $id } 已拒绝；已退还 { $cost } 积分。
shop-member-approved = ✅ 你兑换的 #{ $number } { $reward }（申请 #{ $id }）已批准。
shop-member-rejected = ❌ 你兑换的 #{ $number } { $reward }（申请 #{ $id }）被拒绝：{ $reason }。{ $cost } 积分已退还。
shop-no-reason = 未说明原因

shop-error-invalid = { $field ->
        [cost] 积分必须是 { $low } 到 { $high } 之间的整数。
        [stock] 库存必须是 { $low } 到 { $high } 之间的整数，或 “unlimited”。
        [limit] 每人上限必须是 { $low } 到 { $high } 之间的整数（0 表示不限）。
        [level] 等级必须是 { $low } 到 { $high } 之间的整数。
        [mode] 方式必须是 auto、manual 或 code。
        [name] 名称长度须为 1 到 { $high } 个字符。
        [desc] 描述最多 { $high } 个字符。
        [code] 兑换码最多 { $high } 个字符，不含空格，每行一个。
        [field] 可修改：cost、stock、limit、level、mode、name、desc。
        [time] 什么时候开抢？例如 <code>20:00</code>、<code>晚上8点</code>、<code>30分钟后</code>、<code>明天 9点</code>、<code>in 10 minutes</code>。
        [flash] 用法：/flash &lt;编号&gt; [时间]，例如 <code>/flash 3 20:00</code>、<code>/flash 3 30分钟后</code>
       *[usage] 用法：/reward_add &lt;积分&gt; &lt;库存|unlimited&gt; &lt;名称&gt; [limit=N] [level=N] [mode=auto|manual|code]
    }
shop-error-unknown = 这里没有 #{ $number } 号奖品。看看 /shop。
shop-error-disabled = #{ $number } { $name } 暂时不可兑换。
shop-error-sold-out = 抱歉，#{ $number } { $name } 刚刚售罄。
shop-error-out-of-codes = #{ $number } { $name } 暂时没有兑换码了，需要管理员添加。
shop-error-points = { $name } 需要 { $cost } 积分；你有 { $balance }。
shop-error-level = { $name } 需要 { $need } 级；你是 { $level } 级。
shop-error-limit = 你已兑换 { $name } { $limit } 次，已达上限。
shop-error-stale = 这个确认已过期：#{ $number } { $name } 现在需要 { $cost } 积分。请重新发送 /redeem { $number }。
shop-error-not-code = #{ $number } { $name } 不是兑换码奖品（mode=code），不能添加兑换码。
shop-error-no-codes = 请把兑换码写在命令下面，每行一个：/codes &lt;编号&gt;，然后是兑换码。
shop-error-redemption-unknown = 没有编号为 #{ $id } 的兑换。
shop-error-decided = 兑换 #{ $id } 已经是 { $status } 状态。
shop-error-not-yours = 这个按钮只属于发起兑换的成员。
shop-error-claim = 这个链接不属于你，或已失效。
shop-error-number = 兑换哪一个？发送 /redeem &lt;编号&gt;，例如 /redeem 1。

export-redemptions = 📄 兑换记录：{ $count } 行（UTF-8 CSV，时间为 UTC）。

shop-panel-how = 用按钮设置，或 /reward_edit { $number } &lt;字段&gt; &lt;值&gt;。
shop-panel-mode-auto = 自动
shop-panel-mode-manual = 人工
shop-panel-mode-code = 兑换码
shop-panel-limit = { $limit ->
        [0] 不限次数
       *[other] 每人 { $limit } 次
    }
shop-panel-level = { $level } 级以上
shop-panel-disable = ⏸ 下架
shop-panel-enable = ▶ 上架
shop-panel-done = 完成
shop-panel-photo = 🖼 图片
shop-photo-offer = 🖼 要加一张图片吗？点下方的 🖼 图片再发送，或跳过。
shop-photo-kept = 🖼 已使用你发送的图片。
shop-photo-ask = 🖼 请回复这条消息发送 <b>#{ $number } { $name }</b> 的图片，或跳过。
shop-photo-skip = 跳过
shop-photo-remove = 🗑 删除图片
shop-photo-set = 🖼 #{ $number } { $name } 现在显示这张图片。
shop-panel-saved = 已保存。
badge-top3 = { $month } 月度前三

cmd-flash = 发布秒杀
help-flash = &lt;编号&gt; [时间] — 发布奖品秒杀，在当地时间开始(<code>20:00</code>、<code>30分钟后</code>、<code>下午3点</code>)
shop-flash-post = ⚡ <b>秒杀：#{ $number } { $name }</b>
    { $cost } 积分 · { $stock } · { $opens } 开始
    每人限一次。点按按钮立即兑换：点按即确认。
shop-flash-button = ⚡ 兑换
shop-flash-ok = ✅ 兑换成功
shop-flash-ok-code = ✅ 兑换成功 — 兑换码已私信发送
shop-flash-not-open = { $opens } 开始
shop-member-mention = { $name }：
settings-label-announce_badges = 徽章通知
settings-value-announce_badges = { $value ->
        [group] 在群里
        [dm] 私信
       *[off] 不通知
    }
shop-flash-sold-out = 已售罄
