"""What officers and report authors get from the published warehouse: the annual monitoring
report, exports, the measure catalogue page and a safe read-only connection.

Nothing here imports Dagster: every module reads the published DuckDB file only, so a report
never sees a half-built warehouse and never takes the lock a running pipeline needs.
"""
