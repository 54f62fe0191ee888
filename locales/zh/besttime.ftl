## 最佳发帖时间：/schedule 中的 ⭐ 选项，以及 /stats 中的一行
besttime-hour = { $start }–{ $end }
besttime-note = ⭐ 成员最活跃的时段：{ $hours }（{ $tz }；依据 { $days } 天内的 { $events } 条消息与操作）：点 ⭐ 时间即在那时发布。
besttime-not-enough = ⭐ 等我看到 { $min_days } 天、{ $min_events } 条消息或操作后，这里会显示最佳发帖时间（目前：{ $days } 天，{ $events } 条）。
besttime-no-peak = ⭐ 活跃分布在全天，没有特别突出的时段（{ $days } 天内 { $events } 条消息与操作）。
besttime-button-at = ⭐ { $time }
besttime-button-daily = ⭐ 每天 { $time }
besttime-button-weekly = ⭐ { $day } { $time }
besttime-stats = 🕒 成员最活跃的时段：{ $hours }；一周中最热闹的时刻：{ $day } { $slot }（{ $tz }；{ $days } 天内 { $events } 条消息与操作）。
