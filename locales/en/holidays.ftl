## Holiday greetings: /greeting holiday
settings-label-holiday_greetings = Holiday greetings after the morning greeting
settings-value-holiday_greetings = { $value ->
        [on] on
       *[other] off
    }
settings-label-holiday_country = Holidays of
settings-value-holiday_country = { $value }
holiday-usage = 🎊 <b>Holiday greetings</b> go out with the morning greeting on public holidays and festivals: <code>/greeting holiday list</code>; <code>/greeting holiday on</code> / <code>off</code> (all); <code>/greeting holiday 国庆 off</code> (one; a name or a date such as <code>10-01</code>); <code>/greeting holiday 春节 Happy New Year, everyone!</code> (your own text); <code>/greeting holiday 春节 default</code>.
holiday-list-title = 🎊 <b>Holidays</b> ({ $country }, from today)
holiday-line = { $date } { $name }{ $state ->
        [off] {" "}— off
       *[other] {""}
    }{ $own ->
        [yes] {" "}— your own text
       *[other] {""}
    }
holiday-list-empty = No holidays ahead.
holiday-list-help = Greeted on the first day, after the morning greeting. Country: <code>/settings holiday_country US</code>.
holiday-needs-morning = ⚠️ Holiday greetings go out with the morning greeting, and this group has none: set one with <code>/greeting morning 08:00 &lt;text&gt;</code>.
holiday-all-on = 🎊 Holiday greetings are on.
holiday-all-off = Holiday greetings are off.
holiday-one-on = 🎊 { $name } ({ $date }) will be greeted.
holiday-one-off = { $name } ({ $date }) will not be greeted.
holiday-one-reset = { $name } ({ $date }) is greeted with the default text again.
holiday-one-text = ✅ { $name } ({ $date }) will be greeted with your text.
holiday-error-unknown = “{ $value }” is not a holiday of this group's country: see <code>/greeting holiday list</code>.
holiday-error-too-long = That text is too long ({ $limit } characters at most).
holiday-default = 🎉 Happy { $name }, everyone!
holiday-cn-new-years-day = 🎉 Happy New Year! Wishing everyone a wonderful year ahead.
holiday-cn-chinese-new-years-eve = 🏮 It's Chinese New Year's Eve: enjoy the reunion dinner with your family!
holiday-cn-chinese-new-year-spring-festival = 🧧 Happy Spring Festival! Wishing you health, luck and prosperity in the new year.
holiday-cn-tomb-sweeping-day = 🌿 Qingming Festival: a day to remember those before us and to enjoy the spring.
holiday-cn-labor-day = 💪 Happy Labour Day! Thank you all for your hard work: enjoy the holiday.
holiday-cn-dragon-boat-festival = 🐉 Happy Dragon Boat Festival! Enjoy your zongzi.
holiday-cn-mid-autumn-festival = 🥮 Happy Mid-Autumn Festival! May the full moon bring you and your family together.
holiday-cn-national-day = 🇨🇳 Happy National Day! Enjoy the Golden Week.
