## /settings
settings-title = ⚙️ Settings of { $title }
settings-line = • { $label }: <b>{ $value }</b>
settings-how = Tap a setting to change it, or send <code>/settings key value</code>, e.g. <code>/settings timezone Europe/Berlin</code>. Keys: { $keys }.
settings-choose = { $label }: currently <b>{ $value }</b>. Pick a new value, or send <code>/settings { $key } …</code> (e.g. <code>/settings { $key } { $example }</code>).
settings-changed = ✅ Saved: { $label } → <b>{ $value }</b>.
settings-back = « Back
settings-done = ✓ Done

# One header per settings section (declared by each area, core/*/settings.py).
settings-section-community = 🏠 <b>Group</b>
settings-section-checkin = 📅 <b>Check-in</b>
settings-section-activity = 💬 <b>Chat activity</b>

settings-label-timezone = Timezone
settings-label-day_start = Day starts at
settings-label-language = Language
settings-label-checkin_points = Points per check-in
settings-label-milestones = Streak bonuses
settings-label-activity_points = Points per message
settings-label-activity_min_length = Shortest message that counts
settings-label-activity_cooldown = Time between counted messages
settings-label-activity_daily_cap = Message points per day (max)

settings-value-timezone = { $value }
settings-value-day_start = { $value }:00
settings-value-language = { $value ->
        [zh] 中文
       *[other] English
    }
settings-value-checkin_points = { $value }
settings-value-milestones = { $value ->
        [none] none
       *[other] { $value } (day:bonus)
    }
settings-value-activity_points = { $value }
settings-value-activity_min_length = { $value } characters
settings-value-activity_cooldown = { $value } s
settings-value-activity_daily_cap = { $value }
