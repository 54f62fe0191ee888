## Commands menu
cmd-start = 开始使用并了解我能做什么
cmd-help = 查看你在这里能做什么
cmd-checkin = 今日签到
cmd-me = 查看我的积分、连续签到和排名
cmd-top = 查看排行榜
cmd-settings = 修改群设置
cmd-grant = 给成员加积分
cmd-deduct = 扣除成员积分
cmd-export = 导出 CSV 数据

## Start and help
start = 你好,{ $name }!我负责本社群的签到、积分和排行榜。
help-title-private = <b>你可以</b>
help-title-member = <b>成员命令</b>
help-in-group =
    在群里：{ $commands }。
    想在群里使用我：把我拉进群，并建议设为管理员。
help-checkin = 或直接发送「签到」「打卡」（带此说明的图片也算）— 每天一次，连续签到累积天数
help-me = — 在群里看本群的数据；私聊时看所有群
help-top = [streak | checkins | week | month] — 默认按积分，也可指定其他榜单
help-grant = &lt;数量&gt; [原因] — 回复成员的消息，或附上 @用户名 或数字 ID
help-deduct = &lt;数量&gt; [原因] — 回复成员的消息，或附上 @用户名 或数字 ID
help-settings = [&lt;设置项&gt; &lt;值&gt;] — 只发命令则显示按钮；设置项如 timezone、day_start、language、checkin_points
help-export = members | ledger | redemptions | feedback | survey &lt;编号&gt; | daily [时段] — 导出一个 CSV 文件
help-note-activity = 正常聊天也能获得少量积分（消息需达到一定长度，有冷却时间）。

group-welcome =
    大家好,{ $title }!👋 我是社群助手。
    成员:每天发送 /checkin(或「签到」「打卡」)累积连续签到、赚取积分;/me 查看自己的数据,/top 查看排行榜。
    管理员:用 /settings 设置时区、语言和积分规则。若要识别关键词签到和聊天积分,请把我设为管理员,或在 @BotFather 关闭隐私模式。

## Check-in
checkin-done = ✅ { $name } 签到成功!连续 { $streak } 天,+{ $points } 积分,当前 { $balance } 积分。你是今天第 { $position } 位签到的。
checkin-bonus = 🎉 连续签到 { $streak } 天奖励:+{ $bonus } 积分!
checkin-already = { $name },你今天已经签到过了 — 连续 { $streak } 天,当前 { $balance } 积分。明天见!
checkin-digest = ✅ 今日已签到 { $count } 人。最新:{ $names }
digest-more-notices = ……还有 { $count } 条

## Profile
profile-name = <b>{ $name }</b>
profile =
    📍 { $group }
    积分:{ $points } · 排名:第 { $rank } 名
    连续签到:{ $streak } 天(最长 { $best } 天)· 签到次数:{ $checkins }
    今日签到:{ $today ->
        [yes] 已签到
       *[no] 未签到
    }
profile-no-groups = 你还没有在任何群获得积分。去社群群聊里发送 /checkin 签到吧。

## Errors
error-generic = 抱歉,操作没有成功。
error-unexpected = 抱歉,我这边出了点问题,请稍后再试。
error-not-admin = 只有群管理员可以这样做。
error-group-only = 这个命令需要在群里使用。
error-private-only = 请私聊我使用这个命令:打开 @{ $bot } 并点击「开始」。
error-owner-only = 只有机器人的所有者可以这样做。
error-unknown-group = 我还不认识这个群,请先把我拉进群。
error-invalid-setting = 「{ $value }」不是 { $key } 的有效值。应为:{ $hint }。
error-unknown-setting = 没有名为「{ $key }」的设置。可用设置:{ $keys }。
error-invalid-amount = 数量必须是 1 到 { $max } 之间的整数。
error-target-required = 给谁?请回复该成员的消息,或附上 @用户名 或数字 ID。
error-target-not-found = 在本群找不到成员 { $target }。
error-insufficient-points = { $name } 只有 { $balance } 积分,无法扣除 { $amount }。
error-unknown-subcommand = 未知选项「{ $word }」。可用:{ $options }。
error-text-too-long = 内容太长了(最多 { $max } 个字符)。
error-unknown-command = 我不认识 { $command }。发送 /help 查看可用命令。
error-stale-button = 这个按钮已失效。
error-not-a-person = 你正以群组或频道的身份发言，我无法知道你是谁。请以个人身份发送这个命令。
