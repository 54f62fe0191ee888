cmd-invite = 获取我的专属邀请链接
help-invite = — 你在本群的专属链接:有人通过它入群、签到并留满 3 天,你们俩都得积分。私聊时先选群
cmd-onboarding = 入群申请问卷
example-invite = /invite
example-onboarding = /onboarding add city | 你在哪个城市? | 上海, 北京, 其他
help-onboarding = — 设置面板;on | off,approve auto | admins,add &lt;字段&gt; | &lt;问题&gt; [| &lt;选项&gt;, &lt;选项&gt; …],remove &lt;n&gt;,move &lt;n&gt; &lt;到&gt;,pending

settings-section-invites = 🤝 <b>邀请</b>
settings-label-invites = /invite 邀请链接与奖励
settings-value-invites = { $value ->
        [on] 开
       *[other] 关
    }
settings-label-invite_points = 邀请人和新成员各得积分
settings-value-invite_points = { $value }(0:不给)
settings-label-invite_daily_cap = 每位邀请人每天最多奖励的邀请数
settings-value-invite_daily_cap = { $value }
settings-section-onboarding = 🧭 <b>入群申请问卷</b>
settings-label-onboarding = 入群申请问卷
settings-value-onboarding = { $value ->
        [on] 开
       *[other] 关
    }
settings-label-onboarding_approve = 答完问卷后
settings-value-onboarding_approve = { $value ->
        [auto] 由我批准
       *[other] 由管理员决定
    }

invite-link = 🔗 你在 <b>{ $group }</b> 的专属邀请链接:
    { $link }
invite-rule = 🎁 有人通过它入群、签到并留满 3 天,你们俩各得 { $points } 积分。
invite-rule-no-points = 有人通过它入群、签到并留满 3 天,就算作你的一次邀请。
invite-count = 🤝 你的成功邀请:{ $counted }{ $waiting ->
        [0] {""}
       *[other] (另有 { $waiting } 位在路上)
    }
invite-sent-private = 🔗 已私聊发给你专属邀请链接。
invite-pick-group = 要哪个群的邀请链接?
invite-no-groups = 我还不知道你在哪个开启了邀请的群里。请在群里发送 /invite。
invite-stale = 这个选项已失效。
invite-off = 本群未开启邀请(管理员:<code>/settings invites on</code>)。
invite-error-not-admin = 我无法在这里生成邀请链接:我不是本群管理员。
    管理员:请把我设为管理员并授予“通过链接邀请用户”权限,之后 /invite 即可使用。
invite-error-no-right = 我无法在这里生成邀请链接:我是管理员,但没有“通过链接邀请用户”权限。
    管理员:请授予我这项权限,之后 /invite 即可使用。
invite-error-rights = Telegram 不允许我在这里生成邀请链接。管理员:请确认我是拥有“通过链接邀请用户”权限的管理员。
invite-error-anonymous = 邀请链接是个人的:请以你自己的身份发送 /invite,而不是以群组身份。
invite-error-failed = Telegram 暂时没有生成链接,请一分钟后再试。
invite-paid-inviter = 🎉 { $newcomer } 通过你的链接入群并已签到:你获得 +{ $points } 积分!成功邀请:{ $invites }。
invite-paid-capped = 🎉 { $newcomer } 通过你的链接入群:计为你的邀请(共 { $invites } 次),但今天已达 { $cap } 次奖励上限,本次不加积分。
invite-counted = 🎉 { $newcomer } 通过你的链接入群:计为你的邀请(共 { $invites } 次)。
invite-paid-newcomer = 🎁 新人奖励:通过 { $inviter } 的邀请入群并签到,+{ $points } 积分。
invite-paid-group = 🤝 { $inviter } 邀请了 { $newcomer }{ $newcomer_points ->
        [0] 。
       *[other] :{ $newcomer } +{ $newcomer_points } 积分{ $inviter_points ->
            [0] 。
           *[other] ,{ $inviter } +{ $inviter_points } 积分。
        }
    }
digest-invite = 🤝 { $inviter } → { $newcomer }
top-title-invites = 🤝 <b>邀请榜</b>(新成员留满 3 天并签到才计入)
export-invites = 📄 邀请记录:{ $count } 行(UTF-8 CSV,时间为 UTC;rewarded:yes 已奖励,capped 达上限,off 未设积分,pending 未满足条件,left 3 天内退群)。
export-onboarding = 📄 入群问卷答案:{ $count } 位成员(UTF-8 CSV,时间为 UTC)。

onboarding-intro = 👋 你好!入群前请回答{ $count ->
        [1] 一个小问题
       *[other] { $count } 个小问题
    },请在 { $minutes } 分钟内完成。
onboarding-question = <b>{ $number }/{ $count }.</b> { $prompt }
onboarding-text-hint = ✍️ 请直接回复一条消息(最多 { $max } 个字)。
onboarding-chosen = ✅ { $value }
onboarding-done-approve = ✅ 谢谢!马上就让你进入 <b>{ $group }</b>。
onboarding-done-review = ✅ 谢谢!<b>{ $group }</b> 的管理员会尽快处理你的申请。
onboarding-timed-out = ⏰ 时间到了。<b>{ $group }</b> 的管理员会查看你的申请和回答。
onboarding-use-buttons = 请点上面的按钮作答。
onboarding-error-not-yours = 这是别人的问卷。
onboarding-error-over = 这份问卷已经结束。
onboarding-error-stale = 这个问题已经回答过了。
onboarding-error-unknown-request = 找不到这个入群申请(或已处理)。
onboarding-error-bad-option = 这不是可选的答案。
onboarding-error-answer-long = 回答请不超过 { $max } 个字,再发一次。
onboarding-error-answer-empty = 请用文字回答。

onboarding-review = 📝 <b>入群申请</b>:<b>{ $group }</b>(已答 { $answered }/{ $count }),申请人
onboarding-review-timed-out = ⏰ 问卷未在规定时间内完成。
onboarding-no-answers = (没有回答)
onboarding-review-group = 📝 { $name } 的入群申请等待管理员处理(已答 { $answered }/{ $count })。管理员:私聊我发送 /start 即可收到每个申请及回答,或使用 <code>/onboarding pending</code>。
onboarding-button-approve = ✅ 批准
onboarding-button-decline = ❌ 拒绝
onboarding-status-approved = ✅ 已由 { $admin } 批准。
onboarding-status-declined = ❌ 已由 { $admin } 拒绝。
onboarding-status-closed = 这个申请已不在待处理状态。
onboarding-decided-already = 这个申请已经处理过了。
onboarding-error-rights = Telegram 拒绝了:我需要是拥有“通过链接邀请用户”权限的管理员,才能批准或拒绝申请。
onboarding-error-telegram = Telegram 没有响应,请再试一次。

onboarding-panel-title = 🧭 <b>入群申请问卷</b>
onboarding-panel-state = 问卷:{ $state ->
        [on] ✅ 开
       *[other] ⏸ 关
    }
onboarding-panel-mode = 答完问卷后:{ $mode ->
        [auto] 🤖 由我批准
       *[other] 👤 由管理员决定
    }
onboarding-no-questions = 还没有问题:申请会立即批准(或交给管理员)。
onboarding-question-line = { $number }. <b>{ $field }</b>({ $kind }):{ $prompt }
onboarding-kind-choice = 按钮
onboarding-kind-text = 文字
onboarding-panel-waiting = 📋 等待管理员处理:{ $count }
onboarding-approval-note = ℹ️ 只有需要审核的链接才会产生入群申请(Telegram:群组 → 邀请链接 →“需要管理员批准”;公开群:“批准新成员”)。问卷开启期间,成员的 /invite 链接也需要审核。
onboarding-usage = 一行命令:<code>/onboarding add city | 你在哪个城市? | 上海, 北京, 其他</code>(按钮),<code>/onboarding add intro | 你为什么加入?</code>(文字),<code>/onboarding remove 2</code>,<code>/onboarding move 3 1</code>,<code>/onboarding pending</code>。
onboarding-button-on = ▶️ 开启
onboarding-button-off = ⏸ 关闭
onboarding-button-auto = 🤖 由我批准
onboarding-button-admins = 👤 管理员决定
onboarding-button-add-choice = ➕ 按钮题
onboarding-button-add-text = ➕ 文字题
onboarding-button-up = ⬆️ { $number }
onboarding-button-remove = 🗑 { $number }
onboarding-button-pending = 📋 待处理({ $count })
onboarding-prompt-choice = ➕ 请回复本消息:字段、问题和选项,例如
    <code>city | 你在哪个城市? | 上海, 北京, 深圳, 其他</code>
    (2 到 10 个选项,每个最多 40 字)
onboarding-prompt-text = ➕ 请回复本消息:字段和问题,例如
    <code>intro | 你为什么加入?</code>
onboarding-added = ➕ 已添加第 { $number } 题:{ $prompt }
onboarding-removed = 🗑 已删除第 { $number } 题:{ $prompt }
onboarding-moved = ↕️ 第 { $number } 题已移到第 { $to } 位。
onboarding-switched = { $state ->
        [on] ✅ 入群问卷已开启。
       *[other] ⏸ 入群问卷已关闭:入群申请交给管理员处理。
    }
onboarding-mode-set = { $mode ->
        [auto] 🤖 答完问卷后由我批准。
       *[other] 👤 每个申请由管理员决定,我会把回答发给管理员。
    }
onboarding-pending = 📋 等待管理员处理的申请:{ $count }{ $count ->
        [0] {""}
       *[other] (下面是最早的 { $shown } 个)
    }
onboarding-error-form = 格式:<code>字段 | 问题</code>(文字题)或 <code>字段 | 问题 | 选项, 选项, …</code>(按钮题)。未做任何更改。
onboarding-error-field = “{ $field }”不能作为字段名:只能用字母、数字和 _,最多 { $max } 个字符,不能以数字开头。未做任何更改。
onboarding-error-prompt-long = 问题最多 { $max } 个字。未做任何更改。
onboarding-error-options = 按钮题需要 { $min } 到 { $max } 个选项(现在是 { $count } 个)。未做任何更改。
onboarding-error-option-long = 每个选项最多 { $max } 个字(“{ $option }”)。未做任何更改。
onboarding-error-option-twice = 选项“{ $option }”重复了。未做任何更改。
onboarding-error-field-twice = 已有问题使用字段“{ $field }”。未做任何更改。
onboarding-error-too-many = 最多 { $max } 个问题。未做任何更改。
onboarding-error-no-question = 没有第 { $number } 题(共 { $count } 题)。
onboarding-error-term = “{ $term }”不是字段条件:请写成 <code>field:city=上海</code>。

whois-invited-by = 🤝 邀请人:{ $name }({ $date };{ $outcome ->
        [yes] 已计入,双方已奖励
        [capped] 已计入
        [off] 已计入
        [left] 3 天内退群
       *[other] 尚未计入
    })
whois-invites = 🤝 已邀请 { $counted } 位新成员{ $waiting ->
        [0] {""}
       *[other] (另有 { $waiting } 位在路上)
    }
