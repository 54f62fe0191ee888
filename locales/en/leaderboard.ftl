top-title-points = 🏆 <b>Top members by points</b>
top-title-streak = 🔥 <b>Longest current streaks</b>
top-title-checkins = 📅 <b>Most check-ins</b>
top-title-week = 📈 <b>Points earned this week</b>
top-title-month = 📈 <b>Points earned this month</b>
top-line = { $rank } { $name } — { $value }
top-you = …
    You: #{ $rank } with { $value }
top-empty = The leaderboard is empty so far. Be the first: /checkin
