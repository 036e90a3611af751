"""The data quality gate: what partners send is checked before anything is published.

Plain modules (no Dagster) hold the checks so they can be tested on a temporary warehouse:
`suites` runs the reviewed Great Expectations suites in `expectations/` on each current
submission, `completeness` finds returns and months not received, `plausibility` compares
figures with their own history and with other sources, `findings` keeps every result in the
warehouse's `quality` schema with a stable key, and `export` writes a summary per partner.
`checks` turns them into Dagster asset checks on the assets they concern.
"""
