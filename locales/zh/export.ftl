export-members = 📄 成员:{ $count } 行(UTF-8 CSV,时间为 UTC)。
export-ledger = 📄 积分流水:{ $count } 行(UTF-8 CSV,时间为 UTC)。
