## 定时帖子的 A/B 结果（/posts <编号>）
ab-title = 📊 <b>A/B 结果</b> — 每次浏览的 👍 比例（浏览：该版本发出时在群里的成员，以机器人所知为准）
ab-variant = <b>{ $name }</b>：发出 { $sends } 次，{ $views } 次浏览中 👍 { $votes } — <b>{ $rate }</b>（95% 置信区间 { $low }–{ $high }）
    { $summary }
ab-variant-unsent = <b>{ $name }</b>：尚未发出
    { $summary }
ab-difference = { $b } − { $a }：{ $diff } 个百分点（{ $confidence } 置信区间 { $low } 至 { $high }）
ab-verdict-b-better = ✅ { $b } 比 { $a } 效果更好。
ab-verdict-a-better = ✅ { $a } 比 { $b } 效果更好。
ab-verdict-unclear-more = ⚖️ { $b } 与 { $a }：暂无明显差别——大约还需要 { $more } 次浏览（估计值）。
ab-verdict-unclear = ⚖️ { $b } 与 { $a }：没有明显差别。
ab-verdict-not-enough = ⏳ { $b } 与 { $a }：数据还不够（每个版本至少 { $min } 次浏览，合计至少 { $votes } 个 👍）。
ab-bonferroni = 差值的置信区间为 { $confidence }：有 { $n } 个版本与 { $a } 比较。
ab-unavailable = （这次没能算出统计结果：仅显示计数。）
