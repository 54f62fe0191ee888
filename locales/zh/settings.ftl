## /settings
settings-title = ⚙️ { $title } 的群设置
settings-line = • { $label }:<b>{ $value }</b>
settings-how = 点按某项即可修改,或发送 <code>/settings 键 值</code>,例如 <code>/settings timezone Europe/Berlin</code>。可用的键:{ $keys }。
settings-choose = { $label }当前为 <b>{ $value }</b>。请选择新的值,或发送 <code>/settings { $key } …</code>(例如 <code>/settings { $key } { $example }</code>)。
settings-changed = ✅ 已保存:{ $label } → <b>{ $value }</b>。
settings-back = « 返回
settings-done = ✓ 完成

# One header per settings section (declared by each area, core/*/settings.py).
settings-section-community = 🏠 <b>群组</b>
settings-section-checkin = 📅 <b>签到</b>
settings-section-activity = 💬 <b>聊天活跃</b>

settings-label-timezone = 时区
settings-label-day_start = 每天开始于
settings-label-language = 语言
settings-label-checkin_points = 每次签到积分
settings-label-milestones = 连续签到奖励
settings-label-activity_points = 每条消息积分
settings-label-activity_min_length = 计分消息最短长度
settings-label-activity_cooldown = 计分消息间隔
settings-label-activity_daily_cap = 每日消息积分上限

settings-value-timezone = { $value }
settings-value-day_start = { $value }:00
settings-value-language = { $value ->
        [zh] 中文
       *[other] English
    }
settings-value-checkin_points = { $value }
settings-value-milestones = { $value ->
        [none] 无
       *[other] { $value }(天数:奖励)
    }
settings-value-activity_points = { $value }
settings-value-activity_min_length = { $value } 个字
settings-value-activity_cooldown = { $value } 秒
settings-value-activity_daily_cap = { $value }
