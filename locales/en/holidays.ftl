## Holiday greetings: /greeting holiday
settings-label-holiday_greetings = Holiday greetings after the morning greeting
settings-value-holiday_greetings = { $value ->
        [on] on
       *[other] off
    }
settings-label-holiday_country = Holidays of
settings-value-holiday_country = { $value }
