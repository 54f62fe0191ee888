admin-granted = ✅ 已给 { $name } 增加 { $amount } 积分,当前 { $balance } 积分。
admin-deducted = ➖ 已扣除 { $name } { $amount } 积分,当前 { $balance } 积分。
admin-reason = 原因:{ $reason }
admin-granted-digest = ✅ 已给 { $names }{ $more ->
        [yes] 等
       *[no] {""}
    } { $count } 位成员{ $same ->
        [yes] 每人增加 { $amount } 积分
       *[no] 共增加 { $total } 积分
    }
admin-deducted-digest = ➖ 已扣除 { $names }{ $more ->
        [yes] 等
       *[no] {""}
    } { $count } 位成员{ $same ->
        [yes] 每人 { $amount } 积分
       *[no] 共 { $total } 积分
    }
