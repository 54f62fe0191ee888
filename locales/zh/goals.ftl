cmd-goal = 设定目标和北极星指标
example-goal = /goal set dau 500 by 2027-03-31
help-goal = — 查看进度条,以及按当前趋势能否按时达成;set &lt;指标&gt; &lt;目标值&gt; [by &lt;YYYY-MM-DD&gt;] 设定目标,star &lt;指标&gt; 设为北极星(处处排在最前),del &lt;指标&gt; 删除,report 立即私信发送最近 7 天的每周报告。指标:members(成员)、dau(日活)、wau(周活)、mau(月活)、stickiness(粘性)、d7(7日留存)、checkin_rate(签到率)、messages(消息数)

goal-metric-members = 成员数
goal-metric-dau = 日活(7 天平均)
goal-metric-wau = 周活
goal-metric-mau = 月活
goal-metric-stickiness = 粘性 日活/月活(7 天平均)
goal-metric-d7 = 新成员 7 日留存
goal-metric-checkin_rate = 签到率(7 天平均)
goal-metric-messages = 每日消息数(7 天平均)
goal-unit-pp = {" "}个百分点

goal-title = 🎯 <b>{ $group } 的目标</b>
goal-none = 🎯 { $group } 还没有目标。设定一个:<code>/goal set dau 500 by 2027-03-31</code>(可选 members、dau、wau、mau、stickiness、d7、checkin_rate、messages)。第一个目标会成为北极星指标。
goal-line = <b>{ $metric }</b>:{ $current } / 目标 { $target }{ $has_due ->
        [yes] ,期限 { $due }
       *[other] {""}
    }
goal-line-star = ⭐ <b>北极星 — { $metric }</b>:{ $current } / 目标 { $target }{ $has_due ->
        [yes] ,期限 { $due }
       *[other] {""}
    }
goal-star-short = ⭐ 北极星 — { $metric }:{ $current } / 目标 { $target } · { $bar }
goal-footnote = <i>数值截至昨天(今天还没结束)。趋势是穿过最近几天数据的一条直线,只作粗略参考,并非预测。</i>
goal-outlook-reached = ✅ 已达成。
goal-outlook-no-trend = ℹ️ 数据还不够,暂时算不出趋势(需要一周的数据)。
goal-outlook-on-track = 📈 进度正常:按每天 { $pace } 的趋势,到期时约为 { $projected }(基于 { $days } 天数据)。
goal-outlook-behind = ⚠️ 进度落后:按每天 { $pace } 的趋势,到期时约为 { $projected };需要每天 { $needed } 才能达成(基于 { $days } 天数据)。
goal-outlook-eta = 📈 按每天 { $pace } 的趋势,大约 { $date } 达成(基于 { $days } 天数据)。
goal-outlook-not-closer = ⚠️ 没有在接近目标:趋势为每天 { $pace }(基于 { $days } 天数据)。
goal-button-star = ⭐ { $metric }
goal-button-delete = 🗑 { $metric }
goal-set = 🎯 目标已设定:{ $metric } → { $target }。
goal-set-star = 🎯 目标已设定:{ $metric } → { $target }。它就是北极星指标。
goal-deleted = 🗑 已删除目标:{ $metric }。
goal-starred = ⭐ 北极星指标现在是:{ $metric }。
goal-usage = 用法:<code>/goal</code> · <code>/goal set &lt;指标&gt; &lt;目标值&gt; [by YYYY-MM-DD]</code> · <code>/goal star &lt;指标&gt;</code> · <code>/goal del &lt;指标&gt;</code> · <code>/goal report</code>
goal-error-metric = “{ $word }”不是我统计的指标{ $guess ->
        [none] 。
       *[other] ,你是不是想用 { $guess }?
    }可用指标:{ $metrics }。
goal-error-target = “{ $word }”不是有效的目标值:请写数字,如 500、2k 或 1.5万;比率写成 25%(或 0.25)。
goal-error-not-positive = “{ $word }”:目标值必须大于 0。
goal-error-rate-too-high = “{ $word }”:比率不能超过 100%。
goal-error-date = “{ $word }”不是日期:请用 YYYY-MM-DD,例如 <code>by 2027-03-31</code>。
goal-error-past = { $date } 不在将来(今天是 { $today }):目标期限必须晚于今天。
goal-error-too-far = { $date } 超过三年以后了。
goal-error-none = { $metric } 还没有目标:用 <code>/goal set { $metric } …</code> 设定一个。

settings-section-weekly = 🗓 <b>每周报告</b>
settings-label-weekly_report = 私信管理员每周报告
settings-value-weekly_report = { $value ->
        [on] 开
       *[other] 关
    }
settings-label-weekly_report_day = 发送日
settings-value-weekly_report_day = { $value ->
        [mon] 星期一
        [tue] 星期二
        [wed] 星期三
        [thu] 星期四
        [fri] 星期五
        [sat] 星期六
       *[sun] 星期日
    }
settings-label-weekly_report_time = 发送时间(群组时间)
settings-value-weekly_report_time = { $value }

weekly-title = 🗓 <b>每周报告 · { $group }</b> · { $start } – { $end }
weekly-no-data = 数据还不够:机器人还没有统计满这个群的一整周。
weekly-goals = 🎯 <b>北极星指标和目标</b>
weekly-no-goals = 🎯 还没有目标:在群里发送 <code>/goal set dau 500</code> 即可设定。
weekly-segments = 🧭 <b>用户分层</b>(一周变化)
weekly-stage = { $stage }:{ $count }({ $change })
weekly-risk-baseline = 🚨 <b>最可能流失的成员</b>(基线:沉默最久、价值最高者优先)
weekly-risk-model = 🚨 <b>最可能流失的成员</b>({ $model })
weekly-risk-none = 目前没有成员在渐渐流失。
weekly-risk-chance = {" "}· 下周活跃的可能性 { $value }
weekly-risk-line = { $rank }. { $name } — { $level }{ $chance }:{ $reasons }
weekly-posts = 📣 <b>带 👍 的推送</b>(👍 数 / 能看到它的成员数)
weekly-posts-none = 本周没有发出带 👍 按钮(A/B 版本)的推送。
weekly-post-best = 最佳:#{ $id } { $variant } “{ $text }” — { $votes } 👍 / { $views }({ $rate })
weekly-post-worst = 最差:#{ $id } { $variant } “{ $text }” — { $votes } 👍 / { $views }({ $rate })
weekly-feedback = 💬 反馈:{ $open } 条待处理,本周新增 { $new } 条。在群里用 /inbox 处理。
weekly-charts-caption = 最近两周
weekly-preview-sent = 📬 已私信发送最近 7 天的每周报告给你。
weekly-preview-start = 我还不能私信你:请打开与 @{ $bot } 的对话并点击“开始”,然后再试一次。
weekly-risk-separator = ;
