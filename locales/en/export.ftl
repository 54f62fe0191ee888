export-members = 📄 Members: { $count } rows (UTF-8 CSV, times in UTC).
export-ledger = 📄 Points ledger: { $count } rows (UTF-8 CSV, times in UTC).
