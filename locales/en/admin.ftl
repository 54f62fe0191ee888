admin-granted = ✅ +{ $amount } points to { $name }. Balance: { $balance }.
admin-deducted = ➖ { $amount } points taken from { $name }. Balance: { $balance }.
admin-reason = Reason: { $reason }
