admin-granted = ✅ 已给 { $name } 增加 { $amount } 积分,当前 { $balance } 积分。
admin-deducted = ➖ 已扣除 { $name } { $amount } 积分,当前 { $balance } 积分。
admin-reason = 原因:{ $reason }
