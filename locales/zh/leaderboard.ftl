top-title-points = 🏆 <b>积分排行榜</b>
top-title-streak = 🔥 <b>当前连续签到榜</b>
top-title-checkins = 📅 <b>签到次数榜</b>
top-title-week = 📈 <b>本周积分榜</b>
top-title-month = 📈 <b>本月积分榜</b>
top-line = { $rank } { $name } — { $value }
top-you = …
    你:第 { $rank } 名,{ $value }
top-empty = 排行榜还是空的。来做第一个吧:/checkin
