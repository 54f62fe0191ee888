## Holiday greetings: /greeting holiday
settings-label-holiday_greetings = 早安问候后发节日祝福
settings-value-holiday_greetings = { $value ->
        [on] 开启
       *[other] 关闭
    }
settings-label-holiday_country = 节假日所属国家/地区
settings-value-holiday_country = { $value }
