admin-granted = ✅ +{ $amount } points to { $name }. Balance: { $balance }.
admin-deducted = ➖ { $amount } points taken from { $name }. Balance: { $balance }.
admin-reason = Reason: { $reason }
admin-granted-digest = ✅ { $same ->
        [yes] +{ $amount } points each
       *[no] +{ $total } points in all
    } to { $names }{ $more ->
        [yes] , …
       *[no] {""}
    } ({ $count ->
        [one] { $count } member
       *[other] { $count } members
    })
admin-deducted-digest = ➖ { $same ->
        [yes] { $amount } points each
       *[no] { $total } points in all
    } taken from { $names }{ $more ->
        [yes] , …
       *[no] {""}
    } ({ $count ->
        [one] { $count } member
       *[other] { $count } members
    })
