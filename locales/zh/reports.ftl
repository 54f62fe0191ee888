## /retention、/funnel、/compare(handlers/numbers/reports.py)与 /stats 的图表
cmd-retention = 查看新成员留存
example-retention = /retention weeks
help-retention = [weeks | days] [时段] — 按加入周（最近 12 周）看第 1–8 周留存，或按加入日（最近 30 天）看次日、第 7/14/30 天留存：表格、平均值和热力图（私聊中先选群）
cmd-funnel = 查看新成员从加入到兑换的转化
example-funnel = /funnel 90d
help-funnel = [7d | 30d | 90d | 2026-03-01..2026-03-31] — 该时段加入的成员：首次签到、连续签到 3 天、7 天、首次兑换，以及每一步的转化率
cmd-compare = 对比某个日期前后的数据
example-compare = /compare 2026-11-20 7
help-compare = <日期> [天数] — 该日期之前 N 天（默认 7，最多 28）与之后 N 天的每日数据对比，并判断变化是否超出本群平常的周间波动
reports-no-groups = 没有找到你管理、且我见过你的群。请直接在群里发送 /{ $command }。
stats-button-charts = 📈 图表
stats-charts-caption = 📈 { $group } · { $period }
chart-offset-day = 第{ $n }天
chart-offset-week = 第{ $n }周

retention-title-weeks = 📈 <b>新成员留存（按加入周）</b> · { $group } · { $start } 至 { $end } 各周
retention-title-days = 📈 <b>新成员留存（按加入日）</b> · { $group } · { $start } – { $end }
retention-no-data = 数据还不够：这段时间里没有我看到的新成员加入。
retention-cohorts = 共 { $cohorts } 批新成员，{ $joined } 人加入。
retention-average = 平均：{ $rates }
retention-table-weeks = 每周新成员在之后第 n 周仍活跃的比例（· 表示还没到）：
retention-table-days = 每天新成员在 n 天后仍活跃的比例（· 表示还没到）：
retention-latest = 只列出最近 { $shown } 批（共 { $cohorts } 批）；平均值包含全部。
retention-how-weeks = <i>平均值只计算第 n 周已经过完的批次（本周还没过完）。图片里有完整的 8 周；按天查看：/retention days。</i>
retention-how-days = <i>平均值只计算第 n 天已经过完的批次（今天还没过完）：第 30 天留存需要 31 天前或更早加入的成员——试试 /retention days { $example }。按周查看：/retention weeks。</i>
retention-error-word = 无法识别“{ $word }”。可以用 /retention weeks、/retention days，或加上时段：/retention days 2026-10-01..2026-10-31。

funnel-title = 🪜 <b>从加入到兑换</b> · { $group } · { $start } – { $end } 加入（共 { $days } 天）
funnel-no-data = 数据还不够：这段时间里没有我看到的新成员加入。
funnel-joined = 👋 加入：<b>{ $count }</b>
funnel-step-checkin = ✅ 首次签到：<b>{ $count }</b> · 占加入人数 { $of_joined }（占上一步 { $of_above }）
funnel-step-streak3 = 🔥 连续签到 3 天：<b>{ $count }</b> · { $of_joined }（{ $of_above }）
funnel-step-streak7 = 🏅 连续签到 7 天：<b>{ $count }</b> · { $of_joined }（{ $of_above }）
funnel-step-redeem = 🎁 首次兑换：<b>{ $count }</b> · { $of_joined }（{ $of_above }）
funnel-how = <i>每位成员每一步只算一次，统计从加入到今天（{ $today }）为止达到的步骤：时段末尾才加入的成员时间较短。</i>

compare-title = ⚖️ <b>{ $day } 前后对比</b> · { $group }
compare-windows = 之前 { $days } 天（{ $before_start } – { $before_end }）对比之后 { $days } 天（{ $after_start } – { $after_end }），按日平均：
compare-metric-dau = 🔥 活跃成员：{ $before } → <b>{ $after }</b>（{ $change }）{ $usual } — { $verdict }
compare-metric-messages = 💬 消息：{ $before } → <b>{ $after }</b>（{ $change }）{ $usual } — { $verdict }
compare-metric-checkins = ✅ 签到：{ $before } → <b>{ $after }</b>（{ $change }）{ $usual } — { $verdict }
compare-metric-joined = 👋 加入：{ $before } → <b>{ $after }</b>（{ $change }）{ $usual } — { $verdict }
compare-metric-left = 🚪 退出：{ $before } → <b>{ $after }</b>（{ $change }）{ $usual } — { $verdict }
compare-usual = · 平常 { $usual } ± { $band }
compare-verdict-up = 📈 明显上升
compare-verdict-down = 📉 明显下降
compare-verdict-none = 没有明显变化
compare-verdict-history = ⏳ 历史数据不足，无法判断
compare-how = <i>“平常”：该日期前 91 天内，相邻两个 { $days } 天窗口之间的典型变化（中位数），以及普通变化的范围（2 个稳健标准差）。超出这个范围才算明显变化；判断需要该日期前至少 14 对这样的窗口。</i>
compare-no-data = 数据还不够：这段时间我没有这个群的数据。
compare-no-data-since = 数据还不够：我从 { $first } 才开始统计这个群，该日期之前的那几天没有完整数据。
compare-usage = 请写出发生变化的日期，以及可选的对比天数（默认 7，最多 28）：/compare 2026-11-20 或 /compare 2026-11-20 14。
compare-error-days = “{ $word }”不是 1 到 { $max } 之间的天数。
compare-error-too-old = 这个日期在 { $max } 天以前：请对比最近一年内的日期。
compare-error-not-over = 从 { $start } 起的 { $days } 天到 { $end } 才结束，还没过完。{ $fits ->
        [0] 等这几天过完再来吧。
       *[other] 到时再来，或者现在先对比 { $fits } 天：/compare { $start } { $fits }。
    }
