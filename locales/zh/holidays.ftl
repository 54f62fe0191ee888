## Holiday greetings: /greeting holiday
settings-label-holiday_greetings = 早安问候后发节日祝福
settings-value-holiday_greetings = { $value ->
        [on] 开启
       *[other] 关闭
    }
settings-label-holiday_country = 节假日所属国家/地区
settings-value-holiday_country = { $value }
holiday-usage = 🎊 <b>节日祝福</b>在法定节假日和传统节日随早安问候发出:<code>/greeting holiday list</code>;<code>/greeting holiday on</code> / <code>off</code>(全部);<code>/greeting holiday 国庆 off</code>(单个节日,可用名称或日期如 <code>10-01</code>);<code>/greeting holiday 春节 新年快乐!</code>(自定义祝福);<code>/greeting holiday 春节 default</code>(恢复默认)。
holiday-list-title = 🎊 <b>节假日</b>({ $country },从今天起)
holiday-line = { $date } { $name }{ $state ->
        [off] {" "}— 已关闭
       *[other] {""}
    }{ $own ->
        [yes] {" "}— 自定义祝福
       *[other] {""}
    }
holiday-list-empty = 接下来没有节假日。
holiday-list-help = 在节日第一天、早安问候之后发出。国家/地区:<code>/settings holiday_country US</code>。
holiday-needs-morning = ⚠️ 节日祝福随早安问候发出,本群还没有早安问候:用 <code>/greeting morning 08:00 &lt;内容&gt;</code> 设置。
holiday-all-on = 🎊 节日祝福已开启。
holiday-all-off = 节日祝福已关闭。
holiday-one-on = 🎊 { $name }({ $date })会发祝福。
holiday-one-off = { $name }({ $date })不再发祝福。
holiday-one-reset = { $name }({ $date })恢复默认祝福。
holiday-one-text = ✅ { $name }({ $date })将发送你的祝福。
holiday-error-unknown = “{ $value }”不是本群所在国家/地区的节假日:见 <code>/greeting holiday list</code>。
holiday-error-too-long = 内容太长(最多 { $limit } 个字符)。
holiday-default = 🎉 { $name }快乐!
holiday-cn-new-years-day = 🎉 元旦快乐!祝大家新年新气象,万事顺意!
holiday-cn-chinese-new-years-eve = 🏮 除夕快乐!团圆饭吃好,守岁迎新春!
holiday-cn-chinese-new-year-spring-festival = 🧧 春节快乐!恭喜发财,新春大吉,身体健康!
holiday-cn-tomb-sweeping-day = 🌿 清明时节,缅怀先人,踏青赏春,愿大家安康。
holiday-cn-labor-day = 💪 劳动节快乐!感谢每一位努力的你,好好休息!
holiday-cn-dragon-boat-festival = 🐉 端午安康!记得吃粽子、赛龙舟!
holiday-cn-mid-autumn-festival = 🥮 中秋快乐!月圆人团圆,愿你和家人幸福美满!
holiday-cn-national-day = 🇨🇳 国庆快乐!祝伟大祖国繁荣昌盛,大家黄金周玩得开心!
