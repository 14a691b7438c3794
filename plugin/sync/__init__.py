"""Write-back: journal, planner, executor, pull/merge bookkeeping (pure Python + sqlite3)."""
